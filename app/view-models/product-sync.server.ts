// The product page's admin block (extensions/product-sync-status) through the JSON API: one product's
// mirror status compared with Shopify, and its resync. The reads and writes are
// app/sync/product-resync; this is the answer's shape (docs/api/openapi.yaml, ADR 0031).
import { z } from "zod";
import { adminClientFor } from "~/admin-api/for-shop.server";
import type { AdminGraphqlClient } from "~/admin-api/client.server";
import { logger } from "~/observability/logger.server";
import {
  compareWithShopify,
  readMirrorProduct,
  readShopifyProduct,
  writeShopifyProduct,
  type MirrorProduct,
  type ShopifyProductRead,
} from "~/sync/product-resync/product-resync.server";
import { badRequest, type Store } from "./context.server";
import { toGid } from "./format";

const productIdParam = z.string().regex(/^[1-9][0-9]{0,19}$/);

// A merchant waits on the page: two attempts within a second or two, not the ~15 s background work
// rides out (DEFAULT_RETRY); the block says when Shopify could not be read and offers the resync again.
const interactiveClient = (store: Store) =>
  adminClientFor(store.shop, { retry: { maxAttempts: 2, baseDelayMs: 250, maxDelayMs: 1_000 } });

/** The product id of the URL as a GID; 400 for anything but a positive integer. */
export function productGidParam(text: string | undefined): string {
  const id = productIdParam.safeParse(text);
  if (!id.success) throw badRequest("The product id must be a positive integer");
  return toGid("Product", id.data);
}

const units = (levels: ReadonlyArray<{ available: number | null }>) =>
  levels.reduce((sum, level) => sum + (level.available ?? 0), 0);

function statusView(productGid: string, mirror: MirrorProduct, shopify: ShopifyProductRead | null, error?: string) {
  const { product } = mirror;
  return {
    product: { id: productGid.slice(productGid.lastIndexOf("/") + 1), gid: productGid },
    mirror: {
      mirrored: product !== null && product.deletedAt === null,
      deleted: product?.deletedAt != null,
      title: product?.title || null,
      syncedAt: product?.syncedAt.toISOString() ?? null,
      /** bulk | incremental | webhook | reconcile | resync (rows from before these were told apart: sync). */
      syncedBy: product?.syncedBy ?? null,
      variants: mirror.variants.length,
      unitsAvailable: units(mirror.levels),
    },
    shopify: shopify
      ? {
          found: shopify.product !== null,
          variants: shopify.product?.variants.length ?? 0,
          unitsAvailable: units(shopify.levels),
          complete: shopify.complete,
        }
      : null,
    agreement: shopify ? compareWithShopify(mirror, shopify) : null,
    /** Why Shopify could not be read (the mirror's side is still shown). */
    checkError: error ?? null,
  };
}
export type ProductSyncStatus = ReturnType<typeof statusView>;

function shopifyError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The mirror's state of the product and whether it agrees with what Shopify has now. */
export async function productSyncStatus(
  store: Store,
  productGid: string,
  client: AdminGraphqlClient = interactiveClient(store),
): Promise<ProductSyncStatus> {
  const mirror = await readMirrorProduct(store.id, productGid);
  try {
    return statusView(productGid, mirror, await readShopifyProduct(client, productGid));
  } catch (error) {
    logger.warn({ shop: store.shop, product: productGid, err: error }, "product-status:shopify read failed");
    return statusView(productGid, mirror, null, shopifyError(error));
  }
}

/** Reads the product and its stock from Shopify again and writes them; answers the status after. */
export async function resyncProduct(
  store: Store,
  productGid: string,
  client: AdminGraphqlClient = interactiveClient(store),
): Promise<ProductSyncStatus> {
  const read = await readShopifyProduct(client, productGid);
  await writeShopifyProduct(client, store.id, productGid, read);
  logger.info(
    {
      shop: store.shop,
      product: productGid,
      found: read.product !== null,
      levels: read.levels.length,
      cost: read.cost,
    },
    "product:resynced",
  );
  return statusView(productGid, await readMirrorProduct(store.id, productGid), read);
}
