// Data requests in a real browser: the emulator sends a signed customers/data_request for a customer
// with orders (as Shopify does when a customer asks the store for their data); the merchant sees it
// pending on the Data requests page, downloads the JSON export — the customer's orders, found by
// customer id and email — and marks it fulfilled. On the stack `npm run demo` uses (tools/demo/stack.ts).
import { readFile } from "node:fs/promises";
import type { FrameLocator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Stack } from "../../tools/demo/stack";
import { appFrame, screenshot, browserOnStack } from "./browser";

let stack: Stack;
let page: Page;

interface StoreDump {
  customers: Array<{ id: string; gid: string; email: string | null }>;
  orders: Array<{ id: string; customer: { id: string } | null; createdAt: string }>;
}

browserOnStack("data-requests", { products: 20, orders: 60 }, (ready) => ({ stack, page } = ready));

async function open(path: string): Promise<FrameLocator> {
  await page.goto(`${stack.shellUrl}${path}`);
  return appFrame(page);
}

/** Reloads `path` until `check` passes (the page does not poll on its own). */
async function eventually(path: string, check: (frame: FrameLocator) => Promise<void>, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = await open(path);
    try {
      await check(frame);
      return frame;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }
}

describe("data requests", () => {
  it("a customer's data request shows in the app, its export downloads, and it can be marked fulfilled", async () => {
    const store = await stack.control<StoreDump>(`/shops/${stack.shop}/store`);
    // A customer with an email and an order the sync mirrored (the last 60 days).
    const since = Date.now() - 55 * 86_400_000;
    const customer = store.customers.find(
      (candidate) =>
        candidate.email &&
        store.orders.some((order) => order.customer?.id === candidate.id && Date.parse(order.createdAt) > since),
    );
    if (!customer?.email) throw new Error("the seeded store has no customer with a recent order");
    await stack.control(`/shops/${stack.shop}/customers/${customer.id}/data-request`, { method: "POST" });

    const frame = await eventually("/app/data-requests", async (candidate) => {
      await candidate.getByText(customer.email as string).waitFor({ timeout: 2_000 });
    });
    await expect.poll(() => frame.getByText("Pending", { exact: true }).count()).toBeGreaterThan(0);
    await screenshot(page, "data-requests");

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      frame.getByRole("button", { name: `Download export for ${customer.email}` }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^data-request-.+\.json$/);
    const exported = JSON.parse(await readFile((await download.path()) as string, "utf8")) as {
      request: { email: string; status: string };
      records: { shopify_orders: Array<{ customerId: string | null; email: string | null }> };
    };
    expect(exported.request.email.toLowerCase()).toBe(customer.email.toLowerCase());
    expect(exported.records.shopify_orders.length).toBeGreaterThan(0);
    for (const order of exported.records.shopify_orders) {
      expect(order.customerId === customer.gid || order.email?.toLowerCase() === customer.email.toLowerCase()).toBe(
        true,
      );
    }

    await frame.getByRole("button", { name: "Mark fulfilled" }).click();
    await eventually("/app/data-requests", async (candidate) => {
      await candidate.getByText(customer.email as string).waitFor({ timeout: 2_000 });
      expect(await candidate.getByRole("button", { name: "Mark fulfilled" }).count()).toBe(0);
      expect(await candidate.getByText("Pending", { exact: true }).count()).toBe(0);
    });
    await screenshot(page, "data-requests-fulfilled");
  });
});
