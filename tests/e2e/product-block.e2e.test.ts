// The product page's admin block (extensions/product-sync-status, built by `shopify app build`) in a
// real browser: the emulator's admin shell shows it on a product's page, where it calls the built app
// over real HTTP (CORS, session token). It shows that the mirror has the product and agrees with
// Shopify; with the shop's webhooks dropped, a stock change leaves the mirror behind, the block says
// so, and its resync action brings the mirror back. Screenshots in test-results/screenshots/.
import type { FrameLocator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Stack } from "../../tools/demo/stack";
import { browserProblems, screenshot, browserOnStack } from "./browser";

let stack: Stack;
let page: Page;

browserOnStack("product-block", { products: 30, orders: 20 }, (ready) => ({ stack, page } = ready));

interface StoreDump {
  products: Array<{ id: string; gid: string; title: string; variants: Array<{ inventoryItemId: string }> }>;
  inventoryLevels: Array<{ inventoryItemId: string; locationId: string; available: number }>;
}

const block = (): FrameLocator => page.frameLocator('[data-testid="admin-block-product-sync-status"]');

async function openProduct(productId?: string) {
  // Without an id: the page `npm run demo` prints (the shop's first product).
  await page.goto(
    productId ? `${stack.emulatorUrl}/store/${stack.shopName}/products/${productId}` : await stack.productPageUrl(),
  );
  await block().locator("s-admin-block").waitFor();
  await expect.poll(() => block().locator("body").textContent()).not.toContain("Checking the mirror");
}

describe("the product block in the admin shell", () => {
  it("shows that the mirror has the product, synced by the full sync, agreeing with Shopify", async () => {
    const store = await stack.control<StoreDump>(`/shops/${stack.shop}/store`);
    const product = store.products[0]!;
    await openProduct();
    await expect(page.getByTestId("product-title").textContent()).resolves.toBe(product.title);
    const body = block().locator("body");
    await expect(block().locator("s-badge").textContent()).resolves.toBe("Mirrored");
    await expect(body.textContent()).resolves.toContain("by a full sync (bulk)");
    await expect(body.textContent()).resolves.toContain(`Variants agree with Shopify (${product.variants.length})`);
    await expect(body.textContent()).resolves.toMatch(/Stock agrees with Shopify \([\d,]+ available\)/);
    await screenshot(page, "product-block-mirrored");
    expect(browserProblems()).toEqual([]);
  });

  it("shows stock that differs when a webhook was lost, and the resync action brings the mirror back", async () => {
    const store = await stack.control<StoreDump>(`/shops/${stack.shop}/store`);
    const product = store.products[1]!;
    const level = store.inventoryLevels.find((l) => l.inventoryItemId === product.variants[0]!.inventoryItemId)!;
    // Every delivery to the app is lost from now on: the mirror cannot hear of the change.
    await stack.control("/webhooks/behaviour", { body: { shop: stack.shop, drop: 1 } });
    await stack.control(`/shops/${stack.shop}/inventory`, {
      body: { inventoryItemId: level.inventoryItemId, locationId: level.locationId, available: level.available + 25 },
    });

    await openProduct(product.id);
    const body = block().locator("body");
    await expect(body.textContent()).resolves.toMatch(/Stock differs: the mirror has [\d,]+ available, Shopify [\d,]+/);
    await screenshot(page, "product-block-stock-differs");

    await block().getByText("Resync this product").click();
    await expect.poll(() => body.textContent(), { timeout: 30_000 }).toContain("Resynced.");
    await expect(body.textContent()).resolves.toContain("by a resync from this page");
    await expect(body.textContent()).resolves.toMatch(/Stock agrees with Shopify/);
    await screenshot(page, "product-block-resynced");

    // The mirror itself changed: the app's own product page reads it from the database.
    const storeId = await stack.storeId();
    const { status, body: json } = await stack.api<{
      data: { mirror: { syncedBy: string }; agreement: { stockAgrees: boolean } };
    }>(`/api/v1/shopify/stores/${storeId}/products/${product.id}/sync-status`);
    expect(status).toBe(200);
    expect(json.data.mirror.syncedBy).toBe("resync");
    expect(json.data.agreement.stockAgrees).toBe(true);
    expect(browserProblems()).toEqual([]);
  });
});
