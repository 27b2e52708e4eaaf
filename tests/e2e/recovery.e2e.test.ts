// Nothing gets stuck, in a real browser on the built app (issue 12): an install whose afterAuth failed
// (the shop's Admin API answered 423 Locked during token exchange) is finished by the merchant's next
// visit and its first sync runs; bad filter and page input answers a banner naming the problem.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import type { Stack } from "../../tools/demo/stack";
import { allowBrowserProblems, appFrame, screenshot, browserOnStack } from "./browser";

let stack: Stack;
let page: Page;

browserOnStack(
  "recovery",
  { shop: "recovery-e2e.myshopify.com", products: 20, orders: 20, install: false },
  (ready) => ({ stack, page } = ready),
);

async function open(path: string) {
  await page.goto(`${stack.shellUrl}${path}`);
  return appFrame(page);
}

describe("recovery", () => {
  it("finishes an install whose afterAuth failed on the merchant's next visit, and syncs", async () => {
    await stack.control("/faults", { body: { shop: stack.shop, error5xxRate: 1, errorStatus: 423 } });
    await expect(stack.install()).rejects.toThrow(/answered 500/); // afterAuth threw
    await stack.control(`/faults?shop=${stack.shop}`, { method: "DELETE" });

    const frame = await open("");
    await frame.getByText("Catalogue and sales").waitFor();
    await screenshot(page, "recovery-01-dashboard-after-failed-install");
    const jobs = await stack.waitForSyncs({ timeoutMs: 180_000 });
    expect(jobs.map((job) => job.resource).sort()).toEqual(["inventory", "orders", "products"]);
  });

  it("answers an impossible date and an out-of-range page with a banner naming the problem", async () => {
    // Both pages answer 400 on purpose (the banner is the point); any other problem still fails.
    allowBrowserProblems(/\/app\/orders\?from=2024-13-45[&)]/, /\/app\/products\?page=99999[&)]/);
    let frame = await open("/app/orders?from=2024-13-45");
    await frame.getByText("Invalid request").waitFor();
    await frame.getByText("from must be a calendar day as YYYY-MM-DD", { exact: false }).waitFor();
    await screenshot(page, "recovery-02-orders-impossible-date");

    frame = await open("/app/products?page=99999");
    await frame.getByText("page must be a whole number from 1 to 10000", { exact: false }).waitFor();
  });
});
