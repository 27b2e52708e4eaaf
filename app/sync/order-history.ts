// The one order-history rule: which orders the mirror holds. The full sync's bulk query, the
// incremental sync's filter, reconciliation's comparison window and the Settings page all ask this
// module (docs/decisions/0024-order-history.md).
//
// - The store's setting (`orderHistoryDays`, Settings page) says how far back to read.
// - Without `read_all_orders` Shopify shows only the last 60 days of orders, so that is the most the
//   setting can give; a larger setting is capped, and the UI says why.
// - `read_all_orders` is an optional scope (shopify.app.toml `optional_scopes`): once the merchant
//   grants it, the setting applies as it is.

/** Shopify's window without read_all_orders. */
export const SHOPIFY_DEFAULT_ORDER_DAYS = 60;
export const ALL_ORDERS_SCOPE = "read_all_orders";

const DAY_MS = 86_400_000;

export interface OrderHistoryStore {
  grantedScopes: string;
  orderHistoryDays: number;
}

export interface OrderHistory {
  /** Days of orders the mirror holds. */
  days: number;
  /** The first creation time read (`created_at:>=`). */
  from: Date;
  /** The store granted read_all_orders. */
  allOrders: boolean;
  /** The setting asks for more than Shopify shows without read_all_orders. */
  cappedByShopify: boolean;
}

/** Whether a comma-separated scope list (as Shopify reports it) holds `scope`. */
export function hasScope(grantedScopes: string, scope: string): boolean {
  return grantedScopes
    .split(",")
    .map((s) => s.trim())
    .includes(scope);
}

export function orderHistory(store: OrderHistoryStore, now: Date): OrderHistory {
  const allOrders = hasScope(store.grantedScopes, ALL_ORDERS_SCOPE);
  const cappedByShopify = !allOrders && store.orderHistoryDays > SHOPIFY_DEFAULT_ORDER_DAYS;
  const days = cappedByShopify ? SHOPIFY_DEFAULT_ORDER_DAYS : store.orderHistoryDays;
  return { days, from: new Date(now.getTime() - days * DAY_MS), allOrders, cappedByShopify };
}
