// Installing Shop Sync end to end, through the real library and real HTTP: a merchant opens the app
// in the admin (a document request with a session token), the library exchanges the token with
// "Shopify" (the emulator, through the seam), stores an expiring offline session (encrypted), and
// afterAuth records the store connection from a `shop` query.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEmulator, pointAppAtEmulator, type RunningEmulator } from "../support/emulator";
import { embeddedDocumentRequest } from "../support/shopify-requests";

const SHOP = "install-flow.myshopify.com";
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startTestEmulator({
    timeScale: 1,
    appUrl: process.env.SHOPIFY_APP_URL,
    app: { scopes: ["read_products", "read_inventory", "read_locations", "read_orders"] },
    seed: { shop: SHOP, products: 3, orders: 2, currencyCode: "EUR", plan: "advanced" },
  });
  pointAppAtEmulator(emulator); // before app/shopify.server.ts is first imported
});

afterAll(async () => {
  await emulator?.close();
});

describe("install through token exchange", () => {
  it("stores an encrypted expiring offline session and records the store connection", async () => {
    const { loader } = await import("~/routes/app._index");
    const { db } = await import("~/db.server");

    const result = await loader({ request: await embeddedDocumentRequest("/app", SHOP), params: {}, context: {} });

    const shop = emulator.store.getShop(SHOP);
    expect(shop).toBeDefined();
    expect(result.store).toMatchObject({
      shop: SHOP,
      name: shop?.name,
      currencyCode: "EUR",
      grantedScopes: ["read_products", "read_inventory", "read_locations", "read_orders"],
    });
    expect(result.store?.primaryDomain).toBeTruthy();
    expect(result.store?.planName).toBeTruthy();

    const row = await db.session.findUniqueOrThrow({ where: { id: `offline_${SHOP}` } });
    expect(row.accessToken).toMatch(/^v1\.k1\./); // ciphertext, never the token itself
    expect(row.refreshToken).toMatch(/^v1\.k1\./);
    expect(row.expires).not.toBeNull(); // an expiring offline token
    expect(row.refreshTokenExpires).not.toBeNull();
  });

  it("reinstalling keeps one store row", async () => {
    const { loader } = await import("~/routes/app._index");
    const { db } = await import("~/db.server");
    await db.session.deleteMany({ where: { shop: SHOP } }); // as after app/uninstalled
    await loader({ request: await embeddedDocumentRequest("/app", SHOP), params: {}, context: {} });
    expect(await db.shopifyStore.count({ where: { shop: SHOP } })).toBe(1);
  });
});
