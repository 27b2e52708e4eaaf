// What the merchant is told about customer data and order history (docs/decisions/0023, 0024): the
// dashboard's notice when Shopify withholds customer details the app asked for, or when the app is
// set up to read no orders; the Settings page's explanation of the order-history limit.
import { tenantDb } from "~/db/tenant.server";
import { configuredCustomerData, redactedFieldsOf } from "~/sync/customer-data.server";
import { PROTECTED_FIELDS, protectedFieldOf, type ProtectedField } from "~/sync/engine/customer-data";
import { orderHistory, SHOPIFY_DEFAULT_ORDER_DAYS } from "~/sync/order-history";
import type { Store } from "./context.server";

const WHAT: Record<ProtectedField, string> = {
  name: "names",
  email: "email addresses",
  phone: "phone numbers",
  address: "street addresses and postal codes",
};

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} and ${items.at(-1)}`;
}

export type CustomerDataNotice =
  | { kind: "redacted"; title: string; missing: string; why: string; action: string; fields: string[] }
  | { kind: "ordersDenied"; title: string; why: string; action: string }
  | { kind: "ordersOff"; title: string; why: string };

/** Shopify's answer when the Order object itself is denied (the sync fails with it, ADR 0023). */
const ORDERS_DENIED = /not approved to access the (Order|Customer) object/;

export async function customerDataNotice(store: Store): Promise<CustomerDataNotice | null> {
  if (configuredCustomerData().level === "none") {
    return {
      kind: "ordersOff",
      title: "Orders are not synced",
      why:
        "Shop Sync is set up to read no customer data (CUSTOMER_DATA_LEVEL=none), and Shopify counts every order " +
        "as customer data. Products and inventory are synced as usual.",
    };
  }
  const lastOrdersSync = await tenantDb(store.id).shopifySyncJob.findFirst({
    where: { resource: "orders", status: { in: ["succeeded", "failed"] } },
    orderBy: { createdAt: "desc" },
    select: { status: true, error: true },
  });
  if (lastOrdersSync?.status === "failed" && ORDERS_DENIED.test(lastOrdersSync.error ?? "")) {
    return {
      kind: "ordersDenied",
      title: "Orders cannot be synced yet",
      why:
        "Shopify has not approved Shop Sync to read customer data in your store, and Shopify counts every order as " +
        "customer data. Products and inventory are synced as usual.",
      action:
        "The app's developer can request protected customer data access in the Partner Dashboard (API access " +
        "requests → Protected customer data). Once Shopify approves, run a full sync of orders from the Sync page.",
    };
  }
  const redacted = await redactedFieldsOf(store.id);
  const kinds = new Set(redacted.map((r) => protectedFieldOf(r.field)));
  const missing = PROTECTED_FIELDS.filter((field) => kinds.has(field));
  if (missing.length === 0) return null;
  return {
    kind: "redacted",
    title: "Shopify is withholding some customer details",
    missing: `Synced orders have no customer ${listed(missing.map((field) => WHAT[field]))}.`,
    why:
      "Shopify has not approved Shop Sync to read these details in your store (protected customer data), so it " +
      "sends them empty and Shop Sync stores them empty. Everything else in your orders is synced.",
    action:
      "The app's developer can request access to these fields in the Partner Dashboard (API access requests → " +
      "Protected customer data). Once Shopify approves, the next sync fills them in.",
    fields: redacted.map((r) => r.field),
  };
}

/** The Settings page's order-history help: what the setting gives, and why it may be limited. */
export function orderHistoryHelp(store: Store, now = new Date()): string {
  const history = orderHistory(store, now);
  if (history.allOrders) return "How many days of orders Shop Sync reads. Your store lets Shop Sync read all orders.";
  const base =
    `How many days of orders Shop Sync reads, at most ${SHOPIFY_DEFAULT_ORDER_DAYS}: Shopify shows apps only the ` +
    `last ${SHOPIFY_DEFAULT_ORDER_DAYS} days of orders unless the store grants access to all orders (read_all_orders).`;
  return history.cappedByShopify ? `${base} Shop Sync reads the last ${history.days} days.` : base;
}
