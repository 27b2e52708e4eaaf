// The product block's JSON API (GET …/products/{id}/sync-status, POST …/products/{id}/resync) against
// the emulator: the status compares the mirror with what Shopify has now, the resync re-reads one
// product and its stock through the Admin client and writes them (syncedBy "resync"); a shop reaches
// only its own store and its own Shopify; answers carry CORS headers for the extension's origin.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { adminClientFor } from "~/admin-api/for-shop.server";
import { db } from "~/db.server";
import type * as ResyncRoute from "~/routes/api.v1.shopify.stores.$shopId.products.$productId.resync";
import type * as StatusRoute from "~/routes/api.v1.shopify.stores.$shopId.products.$productId.sync-status";
import { runIncrementalSync } from "~/sync/incremental/incremental.server";
import type { ProductSyncStatus } from "~/view-models/product-sync.server";
import type { ProductView } from "../../tools/shopify-emulator/src/testing";
import { clientOptions, installShop, startSyncHarness, type SyncHarness } from "../sync/support";
import { bearerRequest, sessionToken } from "../support/shopify-requests";
import { asResponse, outcome, shopDataSnapshot } from "./seed";

const SHOP_A = "block-tenant-a.myshopify.com";
const SHOP_B = "block-tenant-b.myshopify.com";
const EXTENSION_ORIGIN = "https://extensions.shopifycdn.com";
let h: SyncHarness;
let storeA: { id: number; shop: string };
let storeB: { id: number; shop: string };
let productsA: ProductView[];
let productsB: ProductView[];
// Imported after the emulator starts: app/shopify.server.ts picks the emulator seam when first loaded.
let resyncRoute: typeof ResyncRoute;
let statusRoute: typeof StatusRoute;

beforeAll(async () => {
  h = await startSyncHarness();
  resyncRoute = await import("~/routes/api.v1.shopify.stores.$shopId.products.$productId.resync");
  statusRoute = await import("~/routes/api.v1.shopify.stores.$shopId.products.$productId.sync-status");
  for (const shop of [SHOP_A, SHOP_B]) {
    const store = await installShop(h, shop, { products: 3, orders: 0, locations: 2, maxVariants: 2 });
    await runIncrementalSync({ store, resource: "inventory", client: adminClientFor(shop, clientOptions(h)) });
    await runIncrementalSync({ store, resource: "products", client: adminClientFor(shop, clientOptions(h)) });
    if (shop === SHOP_A) storeA = store;
    else storeB = store;
  }
  const dump = (shop: string) => h.control<{ products: ProductView[] }>("GET", `/shops/${shop}/store`);
  productsA = (await dump(SHOP_A)).products;
  productsB = (await dump(SHOP_B)).products;
});

afterAll(async () => {
  await h?.close();
});

type Handler = (args: LoaderFunctionArgs & ActionFunctionArgs) => Promise<unknown>;
const base = "/api/v1/shopify/stores";

async function call(handler: Handler, request: Request, params: Record<string, string>) {
  return asResponse(await outcome(() => handler({ request, params, context: {} })));
}

async function status(shop: string, storeId: number, productId: string) {
  const path = `${base}/${storeId}/products/${productId}/sync-status`;
  const request = await bearerRequest(path, shop, { headers: { Origin: EXTENSION_ORIGIN } });
  return call(statusRoute.loader, request, { shopId: String(storeId), productId });
}

async function resync(shop: string, storeId: number, productId: string) {
  const path = `${base}/${storeId}/products/${productId}/resync`;
  const request = await bearerRequest(path, shop, { method: "POST", headers: { Origin: EXTENSION_ORIGIN } });
  return call(resyncRoute.action, request, { shopId: String(storeId), productId });
}

const body = async (response: Response) => ((await response.json()) as { data: ProductSyncStatus }).data;

describe("sync status", () => {
  it("says the mirror has the product, what wrote it, and that variants and stock agree", async () => {
    const product = productsA[0]!;
    const response = await status(SHOP_A, storeA.id, product.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const data = await body(response);
    expect(data.mirror).toMatchObject({
      mirrored: true,
      deleted: false,
      title: product.title,
      syncedBy: "incremental",
      variants: product.variants.length,
    });
    expect(data.shopify).toMatchObject({ found: true, variants: product.variants.length, complete: true });
    expect(data.mirror.unitsAvailable).toBe(data.shopify?.unitsAvailable);
    expect(data.agreement).toMatchObject({ variantsAgree: true, stockAgrees: true, stockDifferences: [] });
  });

  it("shows the stock that differs after Shopify's changed and the webhook was lost", async () => {
    const product = productsA[1]!;
    const variant = product.variants[0]!;
    const levels = await db.shopifyInventoryLevel.findMany({
      where: { storeId: storeA.id, inventoryItemId: `gid://shopify/InventoryItem/${variant.inventoryItemId}` },
    });
    const level = levels[0]!;
    await h.control("POST", `/shops/${SHOP_A}/inventory`, {
      inventoryItemId: variant.inventoryItemId,
      locationId: level.locationId,
      available: level.available + 17,
    });
    const data = await body(await status(SHOP_A, storeA.id, product.id));
    expect(data.agreement?.stockAgrees).toBe(false);
    expect(data.agreement?.stockDifferences).toEqual([
      {
        inventoryItemId: level.inventoryItemId,
        locationId: level.locationId,
        mirror: level.available,
        shopify: level.available + 17,
      },
    ]);
    expect(data.shopify!.unitsAvailable - data.mirror.unitsAvailable).toBe(17);
  });

  it("says a product the mirror does not have is not mirrored, and Shopify's answer", async () => {
    const unknown = productsB[0]!.id; // B's product: A's shop has no such id
    const data = await body(await status(SHOP_A, storeA.id, unknown));
    expect(data.mirror).toMatchObject({ mirrored: false, deleted: false, syncedAt: null, syncedBy: null });
    expect(data.shopify).toMatchObject({ found: false });
  });
});

describe("resync", () => {
  it("re-reads the product and its stock, writes them as a resync, and then agrees", async () => {
    const product = productsA[1]!;
    const before = await body(await status(SHOP_A, storeA.id, product.id));
    expect(before.agreement?.stockAgrees).toBe(false); // from the test above
    const response = await resync(SHOP_A, storeA.id, product.id);
    expect(response.status).toBe(200);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const data = await body(response);
    expect(data.mirror).toMatchObject({ mirrored: true, syncedBy: "resync" });
    expect(Date.parse(data.mirror.syncedAt!)).toBeGreaterThan(Date.parse(before.mirror.syncedAt!));
    expect(data.agreement).toMatchObject({ variantsAgree: true, stockAgrees: true });
    expect(data.mirror.unitsAvailable).toBe(before.shopify!.unitsAvailable);
    const after = await body(await status(SHOP_A, storeA.id, product.id));
    expect(after.agreement?.stockAgrees).toBe(true);
  });

  it("removes a variant Shopify no longer has", async () => {
    const product = productsA[2]!;
    const variants = await db.shopifyProductVariant.count({ where: { storeId: storeA.id } });
    await db.shopifyProductVariant.create({
      data: {
        storeId: storeA.id,
        shopifyId: "gid://shopify/ProductVariant/999999",
        productId: product.gid,
        title: "Gone",
        shopifyUpdatedAt: new Date(Date.parse(product.updatedAt) - 60_000),
      },
    });
    const drifted = await body(await status(SHOP_A, storeA.id, product.id));
    expect(drifted.agreement).toMatchObject({
      variantsAgree: false,
      extraVariants: ["gid://shopify/ProductVariant/999999"],
    });
    const data = await body(await resync(SHOP_A, storeA.id, product.id));
    expect(data.agreement?.variantsAgree).toBe(true);
    expect(await db.shopifyProductVariant.count({ where: { storeId: storeA.id } })).toBe(variants);
  });

  it("writes nothing for a product its shop does not have (another shop's id)", async () => {
    const beforeA = await shopDataSnapshot(storeA.id);
    const beforeB = await shopDataSnapshot(storeB.id);
    const data = await body(await resync(SHOP_A, storeA.id, productsB[0]!.id));
    expect(data.mirror.mirrored).toBe(false);
    expect(data.shopify?.found).toBe(false);
    expect(await shopDataSnapshot(storeA.id)).toEqual(beforeA);
    expect(await shopDataSnapshot(storeB.id)).toEqual(beforeB);
  });
});

describe("when Shopify cannot be read", () => {
  it("the status shows the mirror and says why; a resync answers 503 and writes nothing", async () => {
    const product = productsA[0]!;
    await h.control("POST", "/faults", { shop: SHOP_A, error5xxRate: 1 });
    try {
      const data = await body(await status(SHOP_A, storeA.id, product.id));
      expect(data.mirror).toMatchObject({ mirrored: true, title: product.title });
      expect(data.shopify).toBeNull();
      expect(data.agreement).toBeNull();
      expect(data.checkError).toMatch(/ProductResync/);

      const before = await shopDataSnapshot(storeA.id);
      const row = () =>
        db.shopifyProduct.findFirstOrThrow({
          where: { storeId: storeA.id, shopifyId: product.gid },
          select: { syncedAt: true, syncedBy: true },
        });
      const stamped = await row();
      const response = await resync(SHOP_A, storeA.id, product.id);
      expect(response.status).toBe(503);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(await response.json()).toMatchObject({ error: { code: "shopify_unavailable", retryable: true } });
      expect(await shopDataSnapshot(storeA.id)).toEqual(before);
      expect(await row()).toEqual(stamped);
    } finally {
      await h.control("DELETE", `/faults?shop=${SHOP_A}`);
    }
  });
});

describe("tenant isolation and bad requests", () => {
  it("answers 404 to another shop's store id, for both routes, and changes nothing", async () => {
    const beforeB = await shopDataSnapshot(storeB.id);
    const syncedAt = await db.shopifyProduct.findFirstOrThrow({
      where: { storeId: storeB.id, shopifyId: productsB[0]!.gid },
      select: { syncedAt: true, syncedBy: true },
    });
    for (const response of [
      await status(SHOP_A, storeB.id, productsB[0]!.id),
      await resync(SHOP_A, storeB.id, productsB[0]!.id),
    ]) {
      expect(response.status).toBe(404);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(JSON.stringify(await response.json())).not.toContain(productsB[0]!.title);
    }
    expect(await shopDataSnapshot(storeB.id)).toEqual(beforeB);
    expect(
      await db.shopifyProduct.findFirstOrThrow({
        where: { storeId: storeB.id, shopifyId: productsB[0]!.gid },
        select: { syncedAt: true, syncedBy: true },
      }),
    ).toEqual(syncedAt);
  });

  it("answers 401 to a token not signed with the app secret", async () => {
    const path = `${base}/${storeA.id}/products/${productsA[0]!.id}/resync`;
    const request = new Request(new URL(path, process.env.SHOPIFY_APP_URL), {
      method: "POST",
      headers: { Authorization: `Bearer ${await sessionToken(SHOP_A, { secret: "not-the-secret" })}` },
    });
    expect(
      (await call(resyncRoute.action, request, { shopId: String(storeA.id), productId: productsA[0]!.id })).status,
    ).toBe(401);
  });

  it("answers 400 to a product id that is not a number", async () => {
    const response = await status(SHOP_A, storeA.id, "1 OR 1=1");
    expect(response.status).toBe(400);
  });

  it("answers the CORS preflight of both routes with 204", async () => {
    for (const [handler, suffix] of [
      // Remix hands OPTIONS to the loader.
      [statusRoute.loader, "sync-status"],
      [resyncRoute.loader, "resync"],
    ] as const) {
      const request = new Request(
        new URL(`${base}/${storeA.id}/products/${productsA[0]!.id}/${suffix}`, process.env.SHOPIFY_APP_URL),
        {
          method: "OPTIONS",
          headers: {
            Origin: EXTENSION_ORIGIN,
            "Access-Control-Request-Method": suffix === "resync" ? "POST" : "GET",
            "Access-Control-Request-Headers": "authorization",
          },
        },
      );
      const response = await call(handler, request, { shopId: String(storeA.id), productId: productsA[0]!.id });
      expect(response.status).toBe(204);
      expect(response.headers.get("access-control-allow-origin")).toBe("*");
      expect(response.headers.get("access-control-allow-headers")).toContain("Authorization");
    }
  });
});
