// Orders page: the index with financial and fulfilment status filters and a date range (on the
// (storeId, financialStatus|fulfillmentStatus, shopifyCreatedAt) indexes), and an order's detail with
// its line items.
import { z } from "zod";
import { tenantDb } from "~/db/tenant.server";
import type { Store } from "./context.server";
import { formatDateTime, formatMoneyDecimal, formatMoneyMinor, numericId, toGid } from "./format";
import { calendarDayParam, containsText, offsetFor, pageParam } from "./search.server";

export const ORDERS_PAGE_SIZE = 25;

export const FINANCIAL_STATUSES = [
  "PENDING",
  "AUTHORIZED",
  "PARTIALLY_PAID",
  "PAID",
  "PARTIALLY_REFUNDED",
  "REFUNDED",
  "VOIDED",
  "EXPIRED",
] as const;
export const FULFILLMENT_STATUSES = [
  "UNFULFILLED",
  "PARTIALLY_FULFILLED",
  "FULFILLED",
  "RESTOCKED",
  "ON_HOLD",
  "IN_PROGRESS",
  "SCHEDULED",
  "PENDING_FULFILLMENT",
] as const;

export const orderListQuery = z
  .object({
    q: z.string().trim().max(200).optional().default(""),
    financialStatus: z.enum(FINANCIAL_STATUSES).optional().catch(undefined),
    fulfillmentStatus: z.enum(FULFILLMENT_STATUSES).optional().catch(undefined),
    // Inclusive calendar days, read in UTC. A day that does not exist is a 400, not a database error.
    from: calendarDayParam("from"),
    to: calendarDayParam("to"),
    page: pageParam,
  })
  .refine((query) => !query.from || !query.to || query.from <= query.to, {
    message: "from must not be after to",
    path: ["from"],
  });
export type OrderListQuery = z.infer<typeof orderListQuery>;

function createdBetween(from: string | undefined, to: string | undefined) {
  if (!from && !to) return {};
  return {
    shopifyCreatedAt: {
      ...(from ? { gte: new Date(`${from}T00:00:00.000Z`) } : {}),
      ...(to ? { lt: new Date(new Date(`${to}T00:00:00.000Z`).getTime() + 86_400_000) } : {}),
    },
  };
}

export async function orderListView(store: Store, query: OrderListQuery) {
  const data = tenantDb(store.id);
  const where = {
    ...(query.financialStatus ? { financialStatus: query.financialStatus } : {}),
    ...(query.fulfillmentStatus ? { fulfillmentStatus: query.fulfillmentStatus } : {}),
    ...createdBetween(query.from, query.to),
    ...(query.q ? { OR: [{ name: containsText(query.q) }, { email: containsText(query.q) }] } : {}),
  };
  const [orders, total] = await Promise.all([
    data.shopifyOrder.findMany({
      where,
      orderBy: [{ shopifyCreatedAt: "desc" }, { shopifyId: "desc" }],
      ...offsetFor(query.page, ORDERS_PAGE_SIZE),
      select: {
        shopifyId: true,
        name: true,
        email: true,
        customerFirstName: true,
        customerLastName: true,
        financialStatus: true,
        fulfillmentStatus: true,
        currencyCode: true,
        totalPriceMinor: true,
        test: true,
        cancelledAt: true,
        shopifyCreatedAt: true,
      },
    }),
    data.shopifyOrder.count({ where }),
  ]);
  return {
    query,
    total,
    pagination: { page: query.page, hasPrevious: query.page > 1, hasNext: query.page * ORDERS_PAGE_SIZE < total },
    orders: orders.map((order) => ({
      id: numericId(order.shopifyId),
      name: order.name,
      customer: [order.customerFirstName, order.customerLastName].filter(Boolean).join(" ") || order.email || null,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      total: formatMoneyMinor(BigInt(order.totalPriceMinor), order.currencyCode),
      test: order.test,
      cancelled: order.cancelledAt !== null,
      createdAt: formatDateTime(order.shopifyCreatedAt, store.ianaTimezone),
    })),
  };
}

export const orderIdParam = z.string().regex(/^\d{1,20}$/, "a numeric order id");

export async function orderDetailView(store: Store, id: string) {
  const order = await tenantDb(store.id).shopifyOrder.findUnique({
    where: { storeId_shopifyId: { storeId: store.id, shopifyId: toGid("Order", id) } },
    include: { lineItems: { orderBy: { shopifyId: "asc" } } },
  });
  if (!order) return null;
  const money = (decimal: string | null) => (decimal === null ? null : formatMoneyDecimal(decimal, order.currencyCode));
  return {
    order: {
      id,
      gid: order.shopifyId,
      name: order.name,
      email: order.email,
      customer: [order.customerFirstName, order.customerLastName].filter(Boolean).join(" ") || null,
      financialStatus: order.financialStatus,
      fulfillmentStatus: order.fulfillmentStatus,
      currencyCode: order.currencyCode,
      total: formatMoneyMinor(BigInt(order.totalPriceMinor), order.currencyCode),
      subtotal: money(order.subtotalPrice),
      tax: money(order.totalTax),
      discounts: money(order.totalDiscounts),
      test: order.test,
      cancelledAt: formatDateTime(order.cancelledAt, store.ianaTimezone),
      cancelReason: order.cancelReason,
      createdAt: formatDateTime(order.shopifyCreatedAt, store.ianaTimezone),
      processedAt: formatDateTime(order.processedAt, store.ianaTimezone),
      syncedAt: formatDateTime(order.syncedAt, store.ianaTimezone),
      syncedBy: order.syncedBy,
      redacted: order.redactedAt !== null,
    },
    lineItems: order.lineItems.map((line) => ({
      gid: line.shopifyId,
      title: line.title,
      variantTitle: line.variantTitle,
      sku: line.sku,
      quantity: line.quantity,
      unitPrice: formatMoneyMinor(BigInt(line.unitPriceMinor), order.currencyCode),
      lineTotal: formatMoneyMinor(BigInt(line.unitPriceMinor) * BigInt(line.quantity), order.currencyCode),
      productId: line.productId ? numericId(line.productId) : null,
    })),
  };
}
