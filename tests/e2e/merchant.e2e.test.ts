// The merchant experience in a real browser: the emulator's admin shell framing the built app, on the
// stack `npm run demo` uses (tools/demo/stack.ts), installed through token exchange and fully synced.
// Screenshots of every page go to test-results/screenshots/.
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { loadStore } from "../../tools/demo/activity";
import type { Stack } from "../../tools/demo/stack";
import { appFrame, screenshot, browserOnStack } from "./browser";

let stack: Stack;
let page: Page;

browserOnStack("merchant", { products: 300, orders: 400 }, (ready) => ({ stack, page } = ready));

/** Opens an app path (`/app/…`) in the admin shell, as the shell's nav does. */
async function open(path: string) {
  await page.goto(`${stack.shellUrl}${path}`);
  return appFrame(page);
}

function theAppFrame(): Frame {
  const frame = page.frames().find((f) => f.url().startsWith(stack.appUrl));
  if (!frame) throw new Error("the app frame is not loaded");
  return frame;
}

/** Reloads `path` until `check` passes (the pages do not poll on their own). */
async function eventually(path: string, check: () => Promise<void>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await open(path);
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 1_000));
    }
  }
}

const count = (n: number) => new Intl.NumberFormat("en-US").format(n);

describe("the admin shell", () => {
  it("shows the dashboard with the emulator's numbers", async () => {
    const frame = await open("");
    await frame.getByText("Catalogue and sales").waitFor();
    await expect.poll(() => page.locator("#app-nav").textContent()).toContain("Products");

    const store = await loadStore(stack);
    const full = (await stack.control<{
      inventoryLevels: Array<{ available: number }>;
      orders: Array<{ createdAt: string; test: boolean; cancelledAt: string | null }>;
    }>(`/shops/${stack.shop}/store`))!;
    const since = Date.now() - 30 * 86_400_000;
    const expected = {
      Products: count(store.products.length),
      Variants: count(store.products.reduce((n, p) => n + p.variants.length, 0)),
      Locations: count(store.locations.length),
      "Units in stock": count(full.inventoryLevels.reduce((n, l) => n + l.available, 0)),
      "Orders, last 30 days": count(
        full.orders.filter((o) => Date.parse(o.createdAt) >= since && !o.test && !o.cancelledAt).length,
      ),
    };
    const shown: Record<string, string | null> = {};
    for (const label of Object.keys(expected)) {
      // Each stat is an h3 (its label) followed by a p (its value).
      shown[label] = await frame.locator(`h3:text-is("${label}") + p`).first().textContent();
    }
    expect(shown).toEqual(expected);
    await frame.getByText("Shop Sync Demo").first().waitFor();
    await screenshot(page, "01-dashboard");
  });

  it("renders every page of the app", async () => {
    for (const [path, heading, name] of [
      ["/app/products", "Products", "02-products"],
      ["/app/orders", "Orders", "03-orders"],
      ["/app/sync", "Start a sync", "04-sync"],
      ["/app/webhooks", "Webhooks", "05-webhooks"],
      ["/app/settings", "Settings", "06-settings"],
    ] as const) {
      const frame = await open(path);
      await frame.getByRole("heading", { name: heading, exact: true }).first().waitFor();
      await screenshot(page, name);
    }
    const frame = await open("/app/products");
    await frame.locator("a[href*='/app/products/']").first().click();
    await frame.getByText("Variants", { exact: false }).first().waitFor();
    await screenshot(page, "07-product-detail");
    const orders = await open("/app/orders");
    await orders.locator("a[href*='/app/orders/']").first().click();
    await orders.getByText("Line items", { exact: false }).first().waitFor();
    await screenshot(page, "08-order-detail");
  });

  it("starts a full sync and shows its progress until it finishes", async () => {
    // Latency on every Admin API call makes the bulk operation's polling slow enough to watch.
    await stack.control("/faults", { body: { shop: stack.shop, latencyMs: 400 } });
    try {
      const frame = await open("/app/sync");
      await frame.getByLabel("Kind").selectOption("full");
      await frame.getByLabel("Resource").selectOption("orders");
      await frame.getByRole("button", { name: "Start sync" }).click();
      await expect.poll(() => page.locator('[data-testid="shell-toasts"]').textContent()).toContain("sync of orders");

      const row = () =>
        appFrame(page).locator("tr", { hasText: "Full · orders" }).filter({ hasText: "manual" }).first();
      let sawProgress = false;
      await eventually(
        "/app/sync",
        async () => {
          if (await row().locator("progress, [role=progressbar], .Polaris-ProgressBar").count()) {
            if (!sawProgress) await screenshot(page, "09-sync-running");
            sawProgress = true;
          }
          expect(await row().textContent()).toContain("Succeeded");
        },
        90_000,
      );
      await screenshot(page, "10-sync-finished");
      expect(sawProgress, "a progress bar was shown while the sync ran").toBe(true);
    } finally {
      await stack.control(`/faults?shop=${stack.shop}`, { method: "DELETE" });
    }
  });

  it("shows a product changed in the store (products/update webhook)", async () => {
    const product = (await loadStore(stack)).products[0]!;
    const title = `Renamed in the emulator ${Date.now()}`;
    await stack.control(`/shops/${stack.shop}/products/${product.id}`, { method: "PATCH", body: { title } });
    await eventually(`/app/products/${product.id}`, async () => {
      await appFrame(page).getByText(title).first().waitFor({ timeout: 2_000 });
    });
    await screenshot(page, "11-product-changed");
  });

  it("dead-letters a webhook that cannot apply and retries it from the UI", async () => {
    // Signed by "Shopify" but not a payload the app can map: dead at once, not after 25 attempts.
    await stack.control("/webhooks/send", {
      body: {
        shop: stack.shop,
        topic: "products/update",
        // About a product (ingest refuses a products/update body that is not, ADR 0016), but unmappable.
        payload: JSON.stringify({ id: "not-a-product", admin_graphql_api_id: "gid://shopify/Product/1" }),
        wait: true,
      },
    });
    await eventually("/app/webhooks?status=dead", async () => {
      await appFrame(page).locator("a[href*='/app/webhooks/']").first().waitFor({ timeout: 2_000 });
    });
    await screenshot(page, "12-webhooks-dead");
    const frame = appFrame(page);
    await frame.locator("a[href*='/app/webhooks/']").first().click();
    await frame.getByText("invalid payload").first().waitFor();
    const changes = () => appFrame(page).locator("tr", { hasText: /→/ });
    const before = await changes().count();
    await screenshot(page, "13-webhook-dead-detail");
    const detail = new URL(theAppFrame().url()).pathname;
    await frame.getByRole("button", { name: "Retry" }).click();
    await expect.poll(() => page.locator('[data-testid="shell-toasts"]').textContent()).toContain("queued for retry");
    // Retried: the same payload still cannot apply, so it goes through the queue and is dead again.
    await eventually(detail, async () => {
      expect(await changes().count()).toBeGreaterThan(before);
      await appFrame(page).getByText("Dead", { exact: true }).first().waitFor({ timeout: 2_000 });
    });
    await screenshot(page, "14-webhook-retried");
  });

  it("answers the JSON API with a session token and refuses another shop", async () => {
    await open("");
    await appFrame(page).getByText("Catalogue and sales").waitFor();
    // From the page: App Bridge's fetch adds the session token.
    const fromPage = await theAppFrame().evaluate(async () => {
      const res = await fetch("/api/v1/shopify/stores");
      return { status: res.status, body: (await res.json()) as { data: Array<{ id: number; shop: string }> } };
    });
    expect(fromPage.status).toBe(200);
    expect(fromPage.body.data.map((s) => s.shop)).toEqual([stack.shop]);
    const storeId = fromPage.body.data[0]!.id;

    const ua = { "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/140.0.0.0 Safari/537.36" };
    const badToken = await fetch(`${stack.appUrl}/api/v1/shopify/stores/${storeId}/stats`, {
      headers: { ...ua, Authorization: "Bearer not-a-session-token" },
    });
    expect(badToken.status).toBe(401);
    // No token at all is not an API call: the library sends it to log in, never to the data.
    const noToken = await fetch(`${stack.appUrl}/api/v1/shopify/stores/${storeId}/stats`, {
      headers: ua,
      redirect: "manual",
    });
    expect(noToken.status).not.toBe(200);

    // A valid session token of another shop: not this store.
    await stack.control("/shops", { body: { shop: "other-e2e.myshopify.com", seed: { products: 1, orders: 0 } } });
    const other = (await (
      await fetch(`${stack.emulatorUrl}/store/other-e2e/apps/${stack.apiKey}/__shell/id-token`)
    ).json()) as { token: string };
    const refused = await fetch(`${stack.appUrl}/api/v1/shopify/stores/${storeId}/stats`, {
      headers: { ...ua, Authorization: `Bearer ${other.token}` },
    });
    expect(refused.status).toBe(404);
    expect(await refused.text()).not.toContain(stack.shop);
  });
});
