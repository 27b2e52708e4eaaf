// The app's customer-data policy (CUSTOMER_DATA_LEVEL / CUSTOMER_DATA_FIELDS, app/env.server.ts) and
// what Shopify redacted anyway, per store (docs/decisions/0023-protected-customer-data.md).
//
// A redaction is recorded by field name ("Order.email") from the errors Shopify sends with the null
// (app/admin-api/client.server.ts redactionsOf). A run that read orders replaces the store's set: a
// field Shopify stopped redacting (approval granted since) leaves it, so the dashboard's notice goes
// with it. A run that read no orders says nothing either way and changes nothing.
import { tenantDb } from "~/db/tenant.server";
import { env } from "~/env.server";
import type { CustomerDataPolicy } from "~/sync/engine/customer-data";

export function configuredCustomerData(): CustomerDataPolicy {
  return env().customerData;
}

/** What one sync run saw of redactions over its pages. */
export class RedactionLog {
  readonly fields = new Set<string>();
  /** Orders read with an errors channel (paged queries), i.e. where a redaction would have shown. */
  ordersRead = 0;

  add(fields: readonly string[], orders: number): void {
    for (const field of fields) this.fields.add(field);
    this.ordersRead += orders;
  }
}

/** Replaces the store's recorded redactions with what `log` saw (when it read any order). */
export async function recordRedactions(storeId: number, log: RedactionLog, at: Date = new Date()): Promise<void> {
  if (log.ordersRead === 0) return;
  const data = tenantDb(storeId);
  const fields = [...log.fields];
  await data.$transaction([
    data.shopifyRedactedField.deleteMany({ where: { field: { notIn: fields } } }),
    ...fields.map((field) =>
      data.shopifyRedactedField.upsert({
        where: { storeId_field: { storeId, field } },
        create: { storeId, field, firstSeenAt: at, lastSeenAt: at },
        update: { lastSeenAt: at },
      }),
    ),
  ]);
}

export async function redactedFieldsOf(storeId: number): Promise<Array<{ field: string; lastSeenAt: Date }>> {
  return tenantDb(storeId).shopifyRedactedField.findMany({
    select: { field: true, lastSeenAt: true },
    orderBy: { field: "asc" },
  });
}
