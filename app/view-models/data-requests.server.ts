// Data requests page and API: the store's customers/data_request records (pending until the merchant
// marks them fulfilled, i.e. sent on to the customer), and each one's export as JSON — everything
// Shop Sync holds about that customer now, read from the personal data registry
// (app/privacy/personal-data.server.ts: orders and line items, deliveries, earlier requests), matched by
// customer id and by email, case-insensitively. Every statement is scoped to the authenticated store.
import type { ShopifyCustomerDataRequest } from "@prisma/client";
import { z } from "zod";
import { tenantDb } from "~/db/tenant.server";
import { collectCustomerData } from "~/privacy/personal-data.server";
import type { Store } from "./context.server";
import { formatDateTime } from "./format";

export const dataRequestIdParam = z.string().min(1).max(64);

export type DataRequestStatus = "pending" | "fulfilled" | "redacted";

function statusOf(request: ShopifyCustomerDataRequest): DataRequestStatus {
  if (request.fulfilledAt) return "fulfilled";
  return request.redactedAt ? "redacted" : "pending";
}

/** A data request as the JSON API gives it. */
export function dataRequestResource(request: ShopifyCustomerDataRequest) {
  return {
    id: request.id,
    dataRequestId: request.dataRequestId,
    customerId: request.customerId,
    email: request.email,
    status: statusOf(request),
    requestedAt: request.requestedAt.toISOString(),
    fulfilledAt: request.fulfilledAt?.toISOString() ?? null,
    redactedAt: request.redactedAt?.toISOString() ?? null,
  };
}

export async function listDataRequests(store: Store) {
  return tenantDb(store.id).shopifyCustomerDataRequest.findMany({
    orderBy: [{ requestedAt: "desc" }, { id: "desc" }],
    take: 500,
  });
}

export async function dataRequestsView(store: Store) {
  const requests = await listDataRequests(store);
  return {
    pending: requests.filter((request) => statusOf(request) === "pending").length,
    requests: requests.map((request) => ({
      ...dataRequestResource(request),
      requestedAt: formatDateTime(request.requestedAt, store.ianaTimezone),
      fulfilledAt: formatDateTime(request.fulfilledAt, store.ianaTimezone),
    })),
  };
}

/** The export of one request of the store, or null when the store has no such request. */
export async function dataRequestExport(store: Store, id: string) {
  const request = await tenantDb(store.id).shopifyCustomerDataRequest.findUnique({ where: { id } });
  if (!request) return null;
  const numericCustomerId = request.customerId?.split("/").pop() ?? null;
  const ordersRequested = Array.isArray(request.ordersRequested) ? request.ordersRequested.map(String) : [];
  const held = await collectCustomerData(store, {
    customer: { id: numericCustomerId, email: request.email },
    orders: ordersRequested.filter((orderId) => /^\d+$/.test(orderId)),
  });
  return {
    request: dataRequestResource(request),
    shop: store.shop,
    generatedAt: new Date().toISOString(),
    // By where Shop Sync keeps it (table names of the registry).
    records: held,
  };
}

/** Marks a request fulfilled (sent on to the customer); false when the store has no such request. */
export async function markDataRequestFulfilled(store: Store, id: string, at = new Date()): Promise<boolean> {
  const { count } = await tenantDb(store.id).shopifyCustomerDataRequest.updateMany({
    where: { id, fulfilledAt: null },
    data: { fulfilledAt: at },
  });
  if (count > 0) return true;
  return (await tenantDb(store.id).shopifyCustomerDataRequest.count({ where: { id } })) > 0;
}
