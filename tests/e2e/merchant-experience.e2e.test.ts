// The merchant's experience in a real browser (issue #16), on the stack `npm run demo` uses
// (tools/demo/stack.ts) through the emulator's admin shell. Every test here also fails on any console
// error or failed request in the shell or the app (tests/e2e/browser.ts):
// - every page opens cleanly (React's hydration error #418 on Settings was one), each screenshotted;
// - the dashboard chart gives a day's orders and revenue on hover and on keyboard focus, and they are
//   the emulator's own figures for that day in the shop's timezone;
// - a running sync's progress moves on the Sync page and on the dashboard without a reload, in
//   products and variants, and the pages stop polling once nothing runs.
import type { Frame, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Stack } from "../../tools/demo/stack";
import { appFrame, screenshot, browserOnStack } from "./browser";

let stack: Stack;
let page: Page;

interface StoreDump {
  shop: { ianaTimezone: string; currencyCode: string };
  products: Array<{ id: string; variants: unknown[] }>;
  orders: Array<{ id: string; createdAt: string; test: boolean; cancelledAt: string | null; totalPrice: string }>;
}

browserOnStack("experience", { products: 200, orders: 300 }, (ready) => ({ stack, page } = ready));

async function open(path: string) {
  await page.goto(`${stack.shellUrl}${path}`);
  return appFrame(page);
}

function theAppFrame(): Frame {
  const frame = page.frames().find((candidate) => candidate.url().startsWith(stack.appUrl));
  if (!frame) throw new Error("the app frame is not loaded");
  return frame;
}

/** Marks the app's document; `stillSameDocument` is false once it was reloaded or navigated away. */
async function markDocument() {
  await theAppFrame().evaluate(() => {
    (window as unknown as { __sameDocument: boolean }).__sameDocument = true;
  });
}
const stillSameDocument = () =>
  theAppFrame().evaluate(() => (window as unknown as { __sameDocument?: boolean }).__sameDocument === true);

/** Requests for route data (Remix revalidation: `?_data=…`) from now on. */
function countDataRequests() {
  const seen: string[] = [];
  const listener = (request: { url(): string }) => {
    if (request.url().includes("_data=")) seen.push(request.url());
  };
  page.on("request", listener);
  return { seen, stop: () => page.off("request", listener) };
}

describe("the merchant experience", () => {
  it("opens every page without a console error", async () => {
    for (const [path, heading, name] of [
      ["", "Catalogue and sales", "experience-01-dashboard"],
      ["/app/products", "Products", "experience-02-products"],
      ["/app/orders", "Orders", "experience-03-orders"],
      ["/app/sync", "Start a sync", "experience-04-sync"],
      ["/app/webhooks", "Webhooks", "experience-05-webhooks"],
      ["/app/settings", "Settings", "experience-06-settings"],
      ["/app/data-requests", "Data requests", "experience-07-data-requests"],
    ] as const) {
      const frame = await open(path);
      await frame.getByRole("heading", { name: heading, exact: true }).first().waitFor();
      // Hydrated: the App Bridge title bar reached the shell (sent from an effect).
      await expect.poll(() => page.getByTestId("shell-title").textContent()).not.toBe("");
      await screenshot(page, name);
    }
    const products = await open("/app/products");
    await products.locator("a[href*='/app/products/']").first().click();
    await products.getByRole("heading", { name: "Inventory by location" }).waitFor();
    await screenshot(page, "experience-08-product");
    const orders = await open("/app/orders");
    await orders.locator("a[href*='/app/orders/']").first().click();
    await orders.getByRole("heading", { name: "Line items" }).waitFor();
    await screenshot(page, "experience-09-order");

    // Settings' purge confirmation (App Bridge's modal, rendered after hydration) opens and closes.
    const settings = await open("/app/settings");
    await settings.getByRole("button", { name: "Purge store data" }).click();
    await settings.getByText("Delete all synced products, orders").waitFor();
    await screenshot(page, "experience-10-settings-purge");
    await settings.locator("[data-shopify-emulator=modal] button", { hasText: "Cancel" }).click();
    await settings.getByText("Delete all synced products, orders").waitFor({ state: "hidden" });
  });

  it("reads a day's orders and revenue from the chart, on hover and with the keyboard", async () => {
    const store = await stack.control<StoreDump>(`/shops/${stack.shop}/store`);
    const { ianaTimezone: timeZone, currencyCode } = store.shop;
    const dayOf = (iso: string) =>
      new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).format(
        new Date(iso),
      );
    const digits = new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).resolvedOptions()
      .maximumFractionDigits!;
    // The emulator's figures per day of the shop: real orders (not test, not cancelled).
    const since = Date.now() - 30 * 86_400_000;
    const perDay = new Map<string, { orders: number; minor: number }>();
    for (const order of store.orders) {
      if (order.test || order.cancelledAt || Date.parse(order.createdAt) < since) continue;
      const day = perDay.get(dayOf(order.createdAt)) ?? { orders: 0, minor: 0 };
      day.orders += 1;
      day.minor += Math.round(Number(order.totalPrice) * 10 ** digits);
      perDay.set(dayOf(order.createdAt), day);
    }
    const money = (minor: number) =>
      new Intl.NumberFormat("en-US", { style: "currency", currency: currencyCode }).format(minor / 10 ** digits);
    // The busiest whole day (the window's first day is cut by the 30-day boundary).
    const firstDay = dayOf(new Date(since).toISOString());
    const [busiest, expected] = [...perDay.entries()]
      .filter(([day]) => day !== firstDay)
      .sort((a, b) => b[1].orders - a[1].orders)[0]!;

    const frame = await open("");
    const chart = frame.getByRole("group", { name: /Orders and revenue per day/ });
    await chart.waitFor();
    await frame.getByTestId("chart-legend").getByText(`Revenue (${currencyCode})`).waitFor();

    await frame.locator(`[data-chart-day="${busiest}"]`).hover();
    const tooltip = frame.getByRole("tooltip");
    await tooltip.waitFor();
    expect(await tooltip.locator("[data-chart-value=orders]").textContent()).toBe(String(expected.orders));
    expect(await tooltip.locator("[data-chart-value=revenue]").textContent()).toBe(money(expected.minor));
    await screenshot(page, "experience-11-chart-hover");

    // Keyboard: the chart is one tab stop; the left arrow moves to the day before.
    await page.mouse.move(0, 0);
    await frame.locator(`[data-chart-day="${busiest}"]`).focus();
    await page.keyboard.press("ArrowLeft");
    const before = await frame.locator("[data-chart-day]:focus").getAttribute("data-chart-day");
    const dayBefore = perDay.get(before!) ?? { orders: 0, minor: 0 };
    expect(before! < busiest).toBe(true);
    expect(await tooltip.locator("[data-chart-value=orders]").textContent()).toBe(String(dayBefore.orders));
    expect(await tooltip.locator("[data-chart-value=revenue]").textContent()).toBe(money(dayBefore.minor));
    await screenshot(page, "experience-12-chart-keyboard");
  });

  it("shows a running sync's progress on the Sync page without a reload, then stops polling", async () => {
    const store = await stack.control<StoreDump>(`/shops/${stack.shop}/store`);
    const variants = store.products.reduce((n, product) => n + product.variants.length, 0);
    // Latency on every Admin API call keeps the bulk operation's polling slow enough to watch.
    await stack.control("/faults", { body: { shop: stack.shop, latencyMs: 400 } });
    try {
      const frame = await open("/app/sync");
      await frame.getByRole("heading", { name: "Start a sync", exact: true }).waitFor();
      await markDocument();
      await frame.getByLabel("Kind").selectOption("full");
      await frame.getByLabel("Resource").selectOption("products");
      await frame.getByRole("button", { name: "Start sync" }).click();

      const row = frame.locator("tr", { hasText: "Full · products" }).filter({ hasText: "manual" }).first();
      const seen: string[] = [];
      await expect
        .poll(
          async () => {
            // The progress cell and the row's status read together, from one render: read apart, a
            // revalidation between the two reads showed "Succeeded" next to an older progress.
            const { text, rowText } = (await row
              .evaluate(
                (tr: HTMLTableRowElement) => ({
                  text: tr.querySelectorAll("td")[2]?.textContent ?? "",
                  rowText: tr.textContent ?? "",
                }),
                undefined,
                { timeout: 1_000 },
              )
              .catch(() => null)) ?? { text: "", rowText: "" };
            if (text && seen[seen.length - 1] !== text) {
              seen.push(text);
              // The first change seen: the sync running, the page as the merchant watches it.
              if (seen.length === 2) await screenshot(page, "experience-13-sync-running");
            }
            return rowText;
          },
          { timeout: 120_000, interval: 250 },
        )
        .toContain("Succeeded");
      await screenshot(page, "experience-14-sync-finished");

      expect(await stillSameDocument(), "the page was not reloaded").toBe(true);
      // It moved: from waiting for Shopify's file to every product and variant written.
      expect(seen.some((text) => /Shopify is preparing the bulk file|Waiting for its turn/.test(text))).toBe(true);
      expect(seen[seen.length - 1]).toContain(
        `${new Intl.NumberFormat("en-US").format(store.products.length)} products · ${new Intl.NumberFormat("en-US").format(variants)} variants`,
      );
      expect(new Set(seen).size).toBeGreaterThanOrEqual(2);
      // The duration is the wall time with its waiting part.
      expect(await row.locator("td").nth(4).textContent()).toMatch(/waiting for Shopify's file/);

      // Nothing runs any more: no more revalidation.
      const after = countDataRequests();
      await page.waitForTimeout(5_000);
      after.stop();
      expect(after.seen).toEqual([]);
    } finally {
      await stack.control(`/faults?shop=${stack.shop}`, { method: "DELETE" });
    }
  });

  it("follows a running sync on the dashboard until it finishes, without a reload", async () => {
    await stack.control("/faults", { body: { shop: stack.shop, latencyMs: 1_000 } });
    try {
      const frame = await open("");
      await frame.getByText("Catalogue and sales").waitFor();
      // Started through the JSON API from the page (App Bridge's fetch adds the session token).
      const started = await theAppFrame().evaluate(async () => {
        const stores = (await (await fetch("/api/v1/shopify/stores")).json()) as { data: Array<{ id: number }> };
        const response = await fetch(`/api/v1/shopify/stores/${stores.data[0]!.id}/sync/inventory`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: JSON.stringify({ kind: "full" }),
        });
        return response.status;
      });
      expect(started).toBe(202);
      // The dashboard as the merchant opens it while the sync runs; from here on, no reload.
      await open("");
      await frame.getByText("Catalogue and sales").waitFor();
      await frame.getByText(/Running: full sync of inventory|A sync is waiting for its turn/).waitFor();
      await markDocument();
      await screenshot(page, "experience-15-dashboard-sync-running");
      await frame.getByText("No sync is running.").waitFor({ timeout: 120_000 });
      expect(await stillSameDocument(), "the dashboard was not reloaded").toBe(true);
      await screenshot(page, "experience-16-dashboard-sync-finished");
    } finally {
      await stack.control(`/faults?shop=${stack.shop}`, { method: "DELETE" });
    }
  });
});
