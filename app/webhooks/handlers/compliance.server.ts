// The mandatory privacy compliance topics (required for the App Store): customers/data_request,
// customers/redact, shop/redact. Where a customer's personal data lives, and how each place is erased
// and exported, is app/privacy/personal-data.server.ts (one registry).
import { z } from "zod";
import { db } from "~/db.server";
import { collectCustomerData, eraseCustomerData, type CustomerRequest } from "~/privacy/personal-data.server";
import { purgeShop } from "~/privacy/purge.server";
import { gid } from "~/sync/engine/ids";
import type { RefusedByState, WebhookContext } from "./context";

// Ids may exceed 2^53: the payload was parsed losslessly, so they arrive as bigint, number or string.
const id = z.union([z.bigint(), z.number(), z.string()]).transform((value) => String(value));

const customerPayload = z.object({
  customer: z.object({ id: id.nullish(), email: z.string().nullish(), phone: z.string().nullish() }),
  orders_to_redact: z.array(id).optional(),
  orders_requested: z.array(id).optional(),
  data_request: z.object({ id: id }).nullish(),
});

/**
 * customers/data_request: a record of everything Shop Sync holds about the customer (every home of the
 * registry that can say), stored for the merchant to retrieve and send on (Data requests page, API).
 */
export async function handleCustomerDataRequest({ store, payload, receivedAt }: WebhookContext): Promise<void> {
  const request = customerPayload.parse(payload);
  const asked: CustomerRequest = { customer: request.customer, orders: request.orders_requested ?? [] };
  const record = {
    customer: request.customer,
    generatedAt: receivedAt.toISOString(),
    held: await collectCustomerData(store, asked),
  };
  await db.shopifyCustomerDataRequest.create({
    data: {
      storeId: store.id,
      dataRequestId: request.data_request?.id ?? null,
      customerId: request.customer.id ? gid("Customer", request.customer.id) : null,
      email: request.customer.email ?? null,
      ordersRequested: request.orders_requested ?? [],
      record: JSON.parse(JSON.stringify(record, (_key, value) => (typeof value === "bigint" ? String(value) : value))),
      requestedAt: receivedAt,
    },
  });
}

/**
 * customers/redact: the customer's personal data leaves every place Shop Sync keeps it — mirrored
 * orders and line items, delivery bodies, headers and errors (this delivery's own body included),
 * data-request records, error texts written to the database.
 */
export async function handleCustomerRedact({ store, payload, receivedAt }: WebhookContext): Promise<void> {
  const request = customerPayload.parse(payload);
  await eraseCustomerData(store, { customer: request.customer, orders: request.orders_to_redact ?? [] }, receivedAt);
}

/**
 * shop/redact (48 hours after uninstall, never after a reinstall): every row of the shop goes. The
 * store row cascades to all shop data, including this delivery's own event row. Only for a store that
 * is uninstalled: for an installed one (reinstalled since, or a replayed delivery) nothing is purged
 * and the delivery is recorded as refused (docs/decisions/0016-trust-boundary.md).
 */
export async function handleShopRedact({ store }: WebhookContext): Promise<RefusedByState | undefined> {
  const current = await db.shopifyStore.findUnique({ where: { id: store.id }, select: { status: true } });
  if (current?.status === "active") {
    return { refused: "shop/redact for a store that is installed: nothing purged" };
  }
  await purgeShop(store, "shop/redact");
  return undefined;
}
