// The mandatory privacy compliance topics (required for the App Store): customers/data_request,
// customers/redact, shop/redact.
import type { Prisma } from "@prisma/client";
import { z } from "zod";
import { db, dbNull } from "~/db.server";
import { gid } from "~/sync/engine/ids";
import { redactLineItem, redactOrder } from "~/sync/engine/redact";
import { purgeShop } from "~/privacy/purge.server";
import type { RefusedByState, WebhookContext } from "./context";

// Ids may exceed 2^53: the payload was parsed losslessly, so they arrive as bigint, number or string.
const id = z.union([z.bigint(), z.number(), z.string()]).transform((value) => String(value));

const customerPayload = z.object({
  customer: z.object({ id: id.nullish(), email: z.string().nullish(), phone: z.string().nullish() }),
  orders_to_redact: z.array(id).optional(),
  orders_requested: z.array(id).optional(),
  data_request: z.object({ id: id }).nullish(),
});

/** The orders a compliance request is about: those it names, and every order of that customer. */
async function customerOrders(storeId: number, request: z.infer<typeof customerPayload>, named: string[]) {
  const customerId = request.customer.id ? gid("Customer", request.customer.id) : null;
  return db.shopifyOrder.findMany({
    where: {
      storeId,
      OR: [
        { shopifyId: { in: named.map((orderId) => gid("Order", orderId)) } },
        ...(customerId ? [{ customerId }] : []),
        ...(request.customer.email ? [{ email: request.customer.email }] : []),
      ],
    },
    include: { lineItems: true },
    orderBy: { shopifyCreatedAt: "asc" },
  });
}

/**
 * customers/data_request: a record of everything Shop Sync holds about the customer (their orders,
 * with the personal fields and line items), stored for the merchant to retrieve and send on.
 */
export async function handleCustomerDataRequest({ store, payload, receivedAt }: WebhookContext): Promise<void> {
  const request = customerPayload.parse(payload);
  const orders = await customerOrders(store.id, request, request.orders_requested ?? []);
  const record = {
    customer: request.customer,
    generatedAt: receivedAt.toISOString(),
    orders: orders.map((order) => ({
      id: order.shopifyId,
      name: order.name,
      email: order.email,
      phone: order.phone,
      customer: { id: order.customerId, firstName: order.customerFirstName, lastName: order.customerLastName },
      billingAddress: order.billingAddress,
      shippingAddress: order.shippingAddress,
      createdAt: order.shopifyCreatedAt.toISOString(),
      totalPrice: order.totalPrice,
      currencyCode: order.currencyCode,
      lineItems: order.lineItems.map((line) => ({
        id: line.shopifyId,
        title: line.title,
        quantity: line.quantity,
        unitPrice: line.unitPrice,
      })),
    })),
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

// Prisma writes SQL NULL into a Json column only when told so explicitly (dbNull()).
function asPrismaUpdate(redaction: ReturnType<typeof redactOrder>): Prisma.ShopifyOrderUpdateInput {
  return {
    ...redaction,
    billingAddress: dbNull(),
    shippingAddress: dbNull(),
    raw: redaction.raw ?? dbNull(),
  };
}

/** customers/redact: the customer's name, email, phone and addresses leave every stored order. */
export async function handleCustomerRedact({ store, payload, receivedAt }: WebhookContext): Promise<void> {
  const request = customerPayload.parse(payload);
  const orders = await customerOrders(store.id, request, request.orders_to_redact ?? []);
  await db.$transaction(
    orders.flatMap((order) => [
      db.shopifyOrder.update({
        where: { storeId_shopifyId: { storeId: store.id, shopifyId: order.shopifyId } },
        data: asPrismaUpdate(redactOrder(order, receivedAt)),
      }),
      ...order.lineItems.map((line) =>
        db.shopifyOrderLineItem.update({
          where: { storeId_shopifyId: { storeId: store.id, shopifyId: line.shopifyId } },
          data: { raw: redactLineItem(line).raw ?? dbNull() },
        }),
      ),
    ]),
  );
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
