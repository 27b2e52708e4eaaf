// Shop data for two stores, written through tenantDb(storeId). Both stores use the SAME Shopify ids
// for their shared rows (the tenant is part of every primary key), so a route that forgot the store
// would show the other store's title, stock or total; and each store has rows only it has. storeId is
// written out because the client's types require it; tenantDb checks it is the scoped store.
import { tenantDb } from "~/db/tenant.server";

export interface SeededStore {
  storeId: number;
  label: string;
  /** Numeric id of a product and an order only this store has. */
  onlyId: string;
  deadEventId: string;
  runningJobId: string;
  available: number;
}

export async function seedStoreData(storeId: number, label: string, onlyId: string, available: number) {
  const data = tenantDb(storeId);
  const now = Date.now();
  const updated = new Date(now - 3_600_000);
  await data.shopifyProduct.createMany({
    data: [
      {
        storeId,
        shopifyId: "gid://shopify/Product/1",
        title: `${label} Widget`,
        status: "ACTIVE",
        shopifyUpdatedAt: updated,
      },
      {
        storeId,
        shopifyId: `gid://shopify/Product/${onlyId}`,
        title: `${label} Only`,
        status: "DRAFT",
        shopifyUpdatedAt: updated,
      },
    ],
  });
  await data.shopifyProductVariant.createMany({
    data: [
      {
        storeId,
        shopifyId: "gid://shopify/ProductVariant/11",
        productId: "gid://shopify/Product/1",
        title: `${label} Small`,
        sku: `${label}-SKU-1`,
        price: "10.00",
        inventoryItemId: "gid://shopify/InventoryItem/111",
        shopifyUpdatedAt: updated,
      },
    ],
  });
  await data.shopifyLocation.create({
    data: { storeId, shopifyId: "gid://shopify/Location/1", name: `${label} Warehouse` },
  });
  await data.shopifyInventoryLevel.create({
    data: {
      storeId,
      inventoryItemId: "gid://shopify/InventoryItem/111",
      locationId: "gid://shopify/Location/1",
      shopifyId: "gid://shopify/InventoryLevel/1?inventory_item_id=111",
      available,
      shopifyUpdatedAt: updated,
    },
  });
  for (const [id, name] of [
    ["1", "#1001"],
    [onlyId, `#${label}`],
  ] as const) {
    await data.shopifyOrder.create({
      data: {
        storeId,
        shopifyId: `gid://shopify/Order/${id}`,
        name,
        financialStatus: "PAID",
        fulfillmentStatus: "UNFULFILLED",
        currencyCode: "EUR",
        totalPrice: `${available}.00`,
        totalPriceMinor: BigInt(available * 100),
        shopifyCreatedAt: new Date(now - 86_400_000),
        shopifyUpdatedAt: updated,
      },
    });
    await data.shopifyOrderLineItem.create({
      data: {
        storeId,
        shopifyId: `gid://shopify/LineItem/${id}`,
        orderId: `gid://shopify/Order/${id}`,
        title: `${label} line`,
        quantity: 1,
        unitPrice: `${available}.00`,
        unitPriceMinor: BigInt(available * 100),
        orderUpdatedAt: updated,
      },
    });
  }
  const shop = `${label.toLowerCase()}.myshopify.com`;
  const deadEvent = await data.shopifyWebhookEvent.create({
    data: {
      shop,
      webhookId: `${label}-webhook-1`,
      topic: "products/update",
      resourceId: "gid://shopify/Product/1",
      headers: { "x-shopify-topic": "products/update" },
      rawBody: JSON.stringify({ title: `${label} Widget` }),
      status: "dead",
      attempts: 3,
      lastError: `${label} failure`,
      transitions: { create: [{ fromStatus: "failed", toStatus: "dead", error: `${label} failure` }] },
    },
  });
  const job = await data.shopifySyncJob.create({
    data: {
      storeId,
      kind: "full",
      resource: "products",
      status: "running",
      doneCount: 1,
      totalCount: 4,
      startedAt: updated,
    },
  });
  await data.shopifySyncState.create({ data: { storeId, resource: "products", lastFullSyncAt: updated } });
  return { storeId, label, onlyId, deadEventId: deadEvent.id, runningJobId: job.id, available } satisfies SeededStore;
}

/** Row counts of every shop-data table of a store (to prove a request changed nothing there). */
export async function shopDataSnapshot(storeId: number) {
  const data = tenantDb(storeId);
  const [products, variants, locations, levels, orders, lineItems, events, jobs, states, dead, running] =
    await Promise.all([
      data.shopifyProduct.count(),
      data.shopifyProductVariant.count(),
      data.shopifyLocation.count(),
      data.shopifyInventoryLevel.count(),
      data.shopifyOrder.count(),
      data.shopifyOrderLineItem.count(),
      data.shopifyWebhookEvent.count(),
      data.shopifySyncJob.count(),
      data.shopifySyncState.count(),
      data.shopifyWebhookEvent.count({ where: { status: "dead" } }),
      data.shopifySyncJob.count({ where: { status: "running" } }),
    ]);
  return { products, variants, locations, levels, orders, lineItems, events, jobs, states, dead, running };
}

/** A loader's or action's answer, whether returned or thrown (Remix throws Responses for 4xx). */
export async function outcome<T>(run: () => Promise<T>): Promise<T | Response> {
  try {
    return await run();
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

export function asResponse(value: unknown): Response {
  if (!(value instanceof Response)) throw new Error(`expected a Response, got ${JSON.stringify(value)}`);
  return value;
}
