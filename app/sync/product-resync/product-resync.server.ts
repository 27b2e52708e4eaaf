// One product, read again from Shopify through the Admin client: for the product page's admin block
// (extensions/product-sync-status) — its status (does the mirror agree with Shopify?) and its resync
// (write what Shopify has now). ADR 0031.
//
// Both read the same thing: the product with every variant, and the inventory levels of its variants'
// inventory items. The resync writes them through the sync writers (newest-wins, so a webhook applied
// meanwhile with a newer updatedAt is not overwritten) and records syncedBy "resync". Every statement
// names the store id it was given (the authenticated request's store).
import { z } from "zod";
import type { AdminGraphqlClient } from "~/admin-api/client.server";
import { db } from "~/db.server";
import {
  inventoryLevelFromGraphql,
  locationFromGraphql,
  productFromGraphql,
  variantFromGraphql,
} from "~/sync/engine/fromGraphql";
import {
  INVENTORY_ITEM_LEVELS_QUERY,
  INVENTORY_ITEMS_PER_QUERY,
  LOCATIONS_PAGE_QUERY,
  PRODUCT_RESYNC_QUERY,
  PRODUCT_VARIANTS_PAGE_QUERY,
} from "~/admin-api/operations";
import type { InventoryLevelRow, ProductWithVariants } from "~/sync/engine/rows";
import { deleteRemovedVariants, PAGE_SIZE } from "~/sync/incremental/incremental.server";
import { tombstoneProducts } from "~/sync/writer/removals.server";
import { writeInventoryLevels, writeLocations, writeProducts } from "~/sync/writer/shop-data.server";

const pageInfo = z.object({ hasNextPage: z.boolean(), endCursor: z.string().nullable() });
const productResponse = z.object({
  product: z
    .object({ id: z.string(), variants: z.object({ pageInfo, nodes: z.array(z.unknown()) }) })
    .passthrough()
    .nullable(),
});
const variantsResponse = z.object({
  product: z.object({ id: z.string(), variants: z.object({ pageInfo, nodes: z.array(z.unknown()) }) }).nullable(),
});
const levelsResponse = z.object({
  nodes: z.array(
    z
      .object({
        id: z.string(),
        inventoryLevels: z.object({ pageInfo: z.object({ hasNextPage: z.boolean() }), nodes: z.array(z.unknown()) }),
      })
      .nullable(),
  ),
});
const locationsResponse = z.object({ locations: z.object({ pageInfo, nodes: z.array(z.unknown()) }) });

/** What Shopify has for one product now. */
export interface ShopifyProductRead {
  /** null: Shopify has no such product (deleted, or never existed). */
  product: ProductWithVariants | null;
  levels: InventoryLevelRow[];
  /** False when a variant page or an item's levels could not be read whole (more than 50 locations). */
  complete: boolean;
  cost: number;
}

export async function readShopifyProduct(
  client: AdminGraphqlClient,
  productGid: string,
  signal?: AbortSignal,
): Promise<ShopifyProductRead> {
  let cost = 0;
  const request = async <T>(document: string, schema: z.ZodType<T>, variables: Record<string, unknown>) => {
    const response = await client.request(document, schema, variables, { signal });
    cost += response.cost?.actualQueryCost ?? 0;
    return response.data;
  };
  const { product: node } = await request(PRODUCT_RESYNC_QUERY, productResponse, { id: productGid });
  if (!node) return { product: null, levels: [], complete: true, cost };

  const product = productFromGraphql(node);
  let complete = true;
  let variants = node.variants;
  while (variants.pageInfo.hasNextPage) {
    const more = await request(PRODUCT_VARIANTS_PAGE_QUERY, variantsResponse, {
      id: node.id,
      first: PAGE_SIZE,
      after: variants.pageInfo.endCursor,
    });
    if (!more.product) {
      complete = false; // deleted while we paged
      break;
    }
    variants = more.product.variants;
    product.variants.push(...variants.nodes.map((v) => variantFromGraphql(v, node.id)));
  }

  const itemIds = product.variants.flatMap((variant) => (variant.inventoryItemId ? [variant.inventoryItemId] : []));
  const levels: InventoryLevelRow[] = [];
  for (let i = 0; i < itemIds.length; i += INVENTORY_ITEMS_PER_QUERY) {
    const page = await request(INVENTORY_ITEM_LEVELS_QUERY, levelsResponse, {
      ids: itemIds.slice(i, i + INVENTORY_ITEMS_PER_QUERY),
    });
    for (const item of page.nodes) {
      if (!item) continue;
      if (item.inventoryLevels.pageInfo.hasNextPage) complete = false;
      levels.push(...item.inventoryLevels.nodes.map((level) => inventoryLevelFromGraphql(level)));
    }
  }
  return { product, levels, complete, cost };
}

/** The mirror's rows for one product of one store. */
export async function readMirrorProduct(storeId: number, productGid: string) {
  const product = await db.shopifyProduct.findUnique({
    where: { storeId_shopifyId: { storeId, shopifyId: productGid } },
    select: { shopifyId: true, title: true, deletedAt: true, syncedAt: true, syncedBy: true, shopifyUpdatedAt: true },
  });
  const variants = product
    ? await db.shopifyProductVariant.findMany({
        where: { storeId, productId: productGid },
        select: { shopifyId: true, title: true, inventoryItemId: true },
        orderBy: [{ position: "asc" }, { shopifyId: "asc" }],
      })
    : [];
  const itemIds = variants.flatMap((v) => (v.inventoryItemId ? [v.inventoryItemId] : []));
  const levels = itemIds.length
    ? await db.shopifyInventoryLevel.findMany({
        where: { storeId, inventoryItemId: { in: itemIds } },
        select: { inventoryItemId: true, locationId: true, available: true },
      })
    : [];
  return { product, variants, levels };
}
export type MirrorProduct = Awaited<ReturnType<typeof readMirrorProduct>>;

export interface StockDifference {
  inventoryItemId: string;
  locationId: string;
  mirror: number | null;
  shopify: number | null;
}

export interface ProductAgreement {
  /** Variant ids Shopify has and the mirror does not. */
  missingVariants: string[];
  /** Variant ids the mirror has and Shopify does not. */
  extraVariants: string[];
  /** Available quantities that differ, per inventory item and location (absent on one side: null). */
  stockDifferences: StockDifference[];
  variantsAgree: boolean;
  stockAgrees: boolean;
}

/** Compares the mirror's variants and available stock with what Shopify has (pure). */
export function compareWithShopify(mirror: MirrorProduct, shopify: ShopifyProductRead): ProductAgreement {
  const mirrorVariants = new Set(mirror.variants.map((v) => v.shopifyId));
  const shopifyVariants = new Set(shopify.product?.variants.map((v) => v.shopifyId) ?? []);
  const missingVariants = [...shopifyVariants].filter((id) => !mirrorVariants.has(id));
  const extraVariants = [...mirrorVariants].filter((id) => !shopifyVariants.has(id));

  const key = (l: { inventoryItemId: string; locationId: string }) => `${l.inventoryItemId} ${l.locationId}`;
  const mirrorStock = new Map(mirror.levels.map((l) => [key(l), l]));
  const shopifyStock = new Map(shopify.levels.map((l) => [key(l), l]));
  const stockDifferences: StockDifference[] = [];
  for (const k of new Set([...mirrorStock.keys(), ...shopifyStock.keys()])) {
    const m = mirrorStock.get(k);
    const s = shopifyStock.get(k);
    if (m?.available === s?.available) continue;
    const [inventoryItemId, locationId] = k.split(" ") as [string, string];
    stockDifferences.push({ inventoryItemId, locationId, mirror: m?.available ?? null, shopify: s?.available ?? null });
  }
  return {
    missingVariants,
    extraVariants,
    stockDifferences,
    variantsAgree: missingVariants.length === 0 && extraVariants.length === 0,
    stockAgrees: stockDifferences.length === 0,
  };
}

/**
 * Writes what Shopify has for the product now: the product and its variants (variants it no longer
 * has removed when the read was whole), its levels (locations first when one is new to the mirror),
 * or a tombstone when Shopify has no such product.
 */
export async function writeShopifyProduct(
  client: AdminGraphqlClient,
  storeId: number,
  productGid: string,
  read: ShopifyProductRead,
  now = new Date(),
): Promise<void> {
  if (!read.product) {
    await tombstoneProducts(storeId, [productGid], "resync", () => now);
    return;
  }
  const item = read.product;
  const known = new Set(
    (
      await db.shopifyLocation.findMany({
        where: { storeId, shopifyId: { in: [...new Set(read.levels.map((l) => l.locationId))] } },
        select: { shopifyId: true },
      })
    ).map((l) => l.shopifyId),
  );
  if (read.levels.some((level) => !known.has(level.locationId))) {
    // A location the mirror has not seen yet (added since the last sync): levels need its row.
    let after: string | null = null;
    do {
      const page: z.infer<typeof locationsResponse> = (
        await client.request(LOCATIONS_PAGE_QUERY, locationsResponse, { first: PAGE_SIZE, after })
      ).data;
      const rows = page.locations.nodes.map((node) => locationFromGraphql(node));
      await db.$transaction(async (tx) => writeLocations(tx, storeId, rows, now));
      after = page.locations.pageInfo.hasNextPage ? page.locations.pageInfo.endCursor : null;
    } while (after);
  }
  await db.$transaction(async (tx) => {
    await writeProducts(tx, storeId, [item], "resync", now);
    if (read.complete) await deleteRemovedVariants(tx, storeId, [item]);
    await writeInventoryLevels(tx, storeId, read.levels, now);
  });
}
