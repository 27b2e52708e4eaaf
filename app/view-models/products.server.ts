// Products page: the index (search by title or SKU, sort, offset pagination) and a product's detail
// with variants, inventory per location, its last sync and its last webhook.
import { z } from "zod";
import { tenantDb } from "~/db/tenant.server";
import type { Store } from "./context.server";
import { formatCount, formatDateTime, formatMoneyDecimal, numericId, toGid } from "./format";
import { containsText, offsetFor, pageParam } from "./search.server";

export const PRODUCTS_PAGE_SIZE = 25;

export const productListQuery = z.object({
  q: z.string().trim().max(200).optional().default(""),
  sort: z.enum(["title-asc", "title-desc", "updated-desc", "updated-asc"]).catch("updated-desc"),
  page: pageParam,
});
export type ProductListQuery = z.infer<typeof productListQuery>;

const ORDER_BY = {
  "title-asc": { title: "asc" },
  "title-desc": { title: "desc" },
  "updated-desc": { shopifyUpdatedAt: "desc" },
  "updated-asc": { shopifyUpdatedAt: "asc" },
} as const;

export async function productListView(store: Store, query: ProductListQuery) {
  const data = tenantDb(store.id);
  const where = {
    deletedAt: null,
    ...(query.q
      ? { OR: [{ title: containsText(query.q) }, { variants: { some: { sku: containsText(query.q) } } }] }
      : {}),
  };
  const [products, total] = await Promise.all([
    data.shopifyProduct.findMany({
      where,
      orderBy: [ORDER_BY[query.sort], { shopifyId: "asc" }],
      ...offsetFor(query.page, PRODUCTS_PAGE_SIZE),
      select: {
        shopifyId: true,
        title: true,
        status: true,
        vendor: true,
        shopifyUpdatedAt: true,
        syncedAt: true,
        _count: { select: { variants: true } },
      },
    }),
    data.shopifyProduct.count({ where }),
  ]);
  return {
    query,
    total,
    pagination: {
      page: query.page,
      hasPrevious: query.page > 1,
      hasNext: query.page * PRODUCTS_PAGE_SIZE < total,
    },
    products: products.map((product) => ({
      id: numericId(product.shopifyId),
      gid: product.shopifyId,
      title: product.title,
      status: product.status,
      vendor: product.vendor,
      variants: product._count.variants,
      updatedAt: formatDateTime(product.shopifyUpdatedAt, store.ianaTimezone),
      syncedAt: formatDateTime(product.syncedAt, store.ianaTimezone),
    })),
  };
}

export const productIdParam = z.string().regex(/^\d{1,20}$/, "a numeric product id");

/** A product of the store by the numeric part of its GID, or null (also for another store's id). */
export async function productDetailView(store: Store, id: string) {
  const data = tenantDb(store.id);
  const gid = toGid("Product", id);
  const product = await data.shopifyProduct.findUnique({
    where: { storeId_shopifyId: { storeId: store.id, shopifyId: gid } },
    include: { variants: { orderBy: [{ position: "asc" }, { shopifyId: "asc" }] } },
  });
  if (!product) return null;
  const itemIds = product.variants.flatMap((variant) => (variant.inventoryItemId ? [variant.inventoryItemId] : []));
  const [levels, lastWebhook] = await Promise.all([
    itemIds.length ? data.shopifyInventoryLevel.findMany({ where: { inventoryItemId: { in: itemIds } } }) : [],
    data.shopifyWebhookEvent.findFirst({
      where: { resourceId: gid },
      orderBy: { receivedAt: "desc" },
      select: { id: true, topic: true, status: true, receivedAt: true, processedAt: true },
    }),
  ]);
  const locationIds = [...new Set(levels.map((level) => level.locationId))];
  const locations = locationIds.length
    ? await data.shopifyLocation.findMany({
        where: { shopifyId: { in: locationIds } },
        select: { shopifyId: true, name: true },
      })
    : [];
  const locationName = new Map(locations.map((location) => [location.shopifyId, location.name]));
  const currency = store.currencyCode;
  return {
    product: {
      id,
      gid,
      title: product.title,
      handle: product.handle,
      vendor: product.vendor,
      productType: product.productType,
      status: product.status,
      tags: product.tags
        ? product.tags
            .split(",")
            .map((tag) => tag.trim())
            .filter(Boolean)
        : [],
      deleted: product.deletedAt !== null,
      updatedAt: formatDateTime(product.shopifyUpdatedAt, store.ianaTimezone),
      syncedAt: formatDateTime(product.syncedAt, store.ianaTimezone),
      syncedBy: product.syncedBy,
    },
    variants: product.variants.map((variant) => {
      const stock = levels.filter((level) => level.inventoryItemId === variant.inventoryItemId);
      return {
        gid: variant.shopifyId,
        title: variant.title ?? "Default",
        sku: variant.sku,
        price: variant.price && currency ? formatMoneyDecimal(variant.price, currency) : variant.price,
        inventoryQuantity: variant.inventoryQuantity,
        inventory: stock.map((level) => ({
          locationId: level.locationId,
          location: locationName.get(level.locationId) ?? numericId(level.locationId),
          available: formatCount(level.available),
          onHand: level.onHand,
          committed: level.committed,
        })),
      };
    }),
    lastWebhook: lastWebhook && {
      id: lastWebhook.id,
      topic: lastWebhook.topic,
      status: lastWebhook.status,
      receivedAt: formatDateTime(lastWebhook.receivedAt, store.ianaTimezone),
      processedAt: formatDateTime(lastWebhook.processedAt, store.ianaTimezone),
    },
  };
}
