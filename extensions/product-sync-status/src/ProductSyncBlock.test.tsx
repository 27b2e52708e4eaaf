// @vitest-environment happy-dom
// The block rendered with Preact into a DOM: what it shows for a product's status, the session token
// on every call, and the resync action. The app's JSON API is a scripted fetch here; the browser test
// (tests/e2e/product-block.e2e.test.ts) runs the built block against the real app.
import { render } from "preact";
import { act } from "preact/test-utils";
import { afterEach, describe, expect, it } from "vitest";
import messages from "../locales/en.default.json";
import { createAppApi, type ProductSyncStatus } from "./app-api";
import { ProductSyncBlock } from "./ProductSyncBlock";
import type { BlockI18n } from "./status-view";

/** Shopify's translate: a dotted key into the locale file, `{{name}}` replaced by the option. */
const i18n: BlockI18n = {
  translate: (key, options = {}) => {
    const found = key.split(".").reduce<unknown>((node, part) => (node as Record<string, unknown>)?.[part], messages);
    if (typeof found !== "string") throw new Error(`no message ${key}`);
    return found.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
  },
  formatDate: (date, options) => new Intl.DateTimeFormat("en-US", { ...options, timeZone: "UTC" }).format(date),
  formatNumber: (value) => new Intl.NumberFormat("en-US").format(value),
};

const PRODUCT = "gid://shopify/Product/1001";

function status(overrides: Partial<ProductSyncStatus> = {}): ProductSyncStatus {
  return {
    product: { id: "1001", gid: PRODUCT },
    mirror: {
      mirrored: true,
      deleted: false,
      title: "Alpine Jacket",
      syncedAt: "2026-12-01T09:30:00.000Z",
      syncedBy: "webhook",
      variants: 2,
      unitsAvailable: 10,
    },
    shopify: { found: true, variants: 2, unitsAvailable: 27, complete: true },
    agreement: {
      missingVariants: [],
      extraVariants: [],
      stockDifferences: [
        {
          inventoryItemId: "gid://shopify/InventoryItem/1",
          locationId: "gid://shopify/Location/1",
          mirror: 5,
          shopify: 22,
        },
      ],
      variantsAgree: true,
      stockAgrees: false,
    },
    checkError: null,
    ...overrides,
  };
}

interface Call {
  path: string;
  method: string;
  authorization: string | null;
}

function scriptedFetch(answers: Record<string, () => Response>) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const path = String(input);
    const method = init?.method ?? "GET";
    calls.push({ path, method, authorization: new Headers(init?.headers).get("authorization") });
    const answer = answers[`${method} ${path}`];
    if (!answer) return Response.json({ error: { message: "no route" } }, { status: 404 });
    return answer();
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}

const STORES = "GET /api/v1/shopify/stores";
const STATUS = "GET /api/v1/shopify/stores/7/products/1001/sync-status";
const RESYNC = "POST /api/v1/shopify/stores/7/products/1001/resync";

let root: HTMLElement;
afterEach(() => {
  render(null, root);
  root.remove();
});

async function renderBlock(answers: Record<string, () => Response>) {
  const scripted = scriptedFetch(answers);
  let token = 0;
  const api = createAppApi({ fetch: scripted.fetch, idToken: async () => `token-${++token}` });
  root = document.createElement("div");
  document.body.append(root);
  await act(async () => {
    render(<ProductSyncBlock api={api} i18n={i18n} productGid={PRODUCT} />, root);
  });
  await expect.poll(() => root.textContent).not.toContain("Checking the mirror");
  return scripted;
}

const text = () => root.textContent?.replace(/\s+/g, " ") ?? "";

describe("the product block", () => {
  it("shows whether the product is mirrored, its last sync and what disagrees with Shopify", async () => {
    const { calls } = await renderBlock({
      [STORES]: () => Response.json({ data: [{ id: 7, shop: "acme.myshopify.com" }] }),
      [STATUS]: () => Response.json({ data: status() }),
    });
    expect(root.querySelector("s-badge")?.textContent).toBe("Mirrored");
    expect(root.querySelector("s-admin-block")?.getAttribute("heading")).toBe("Shop Sync");
    expect(text()).toContain("Last synced Dec 1, 2026, 9:30 AM by a webhook");
    expect(text()).toContain("Variants agree with Shopify (2)");
    expect(text()).toContain("Stock differs: the mirror has 10 available, Shopify 27");
    // Every call carries a fresh session token; the store id comes from the stores list.
    expect(calls.map((c) => `${c.method} ${c.path}`)).toEqual([STORES, STATUS]);
    expect(calls.every((c) => /^Bearer token-\d+$/.test(c.authorization ?? ""))).toBe(true);
  });

  it("resyncs on the button and shows the status the app answers", async () => {
    const { calls } = await renderBlock({
      [STORES]: () => Response.json({ data: [{ id: 7, shop: "acme.myshopify.com" }] }),
      [STATUS]: () => Response.json({ data: status() }),
      [RESYNC]: () =>
        Response.json({
          data: status({
            mirror: { ...status().mirror, syncedBy: "resync", unitsAvailable: 27 },
            agreement: { ...status().agreement!, stockDifferences: [], stockAgrees: true },
          }),
        }),
    });
    const button = root.querySelector("s-button");
    expect(button?.textContent).toBe("Resync this product");
    await act(async () => {
      button!.dispatchEvent(new Event("click"));
    });
    await expect.poll(text).toContain("Resynced.");
    expect(text()).toContain("by a resync from this page");
    expect(text()).toContain("Stock agrees with Shopify (27 available)");
    expect(calls.at(-1)).toMatchObject({ path: RESYNC.slice(5), method: "POST" });
  });

  it("says so when the product is not mirrored and Shopify could not be read", async () => {
    await renderBlock({
      [STORES]: () => Response.json({ data: [{ id: 7, shop: "acme.myshopify.com" }] }),
      [STATUS]: () =>
        Response.json({
          data: status({
            mirror: { ...status().mirror, mirrored: false, title: null, syncedAt: null, syncedBy: null, variants: 0 },
            shopify: null,
            agreement: null,
            checkError: "Admin API circuit for acme.myshopify.com is open",
          }),
        }),
    });
    expect(root.querySelector("s-badge")?.textContent).toBe("Not mirrored");
    expect(text()).toContain("Shop Sync has not synced this product yet.");
    expect(text()).toContain("Could not compare with Shopify: Admin API circuit for acme.myshopify.com is open");
  });

  it("shows the app's error when a resync fails, and keeps the status", async () => {
    await renderBlock({
      [STORES]: () => Response.json({ data: [{ id: 7, shop: "acme.myshopify.com" }] }),
      [STATUS]: () => Response.json({ data: status() }),
      [RESYNC]: () =>
        Response.json({ error: { code: "shopify_unavailable", message: "Shopify is down" } }, { status: 503 }),
    });
    await act(async () => {
      root.querySelector("s-button")!.dispatchEvent(new Event("click"));
    });
    await expect.poll(text).toContain("Resync failed: Shopify is down");
    expect(text()).toContain("Last synced Dec 1, 2026, 9:30 AM by a webhook");
  });

  it("shows why the status could not be loaded", async () => {
    await renderBlock({ [STORES]: () => Response.json({ data: [] }) });
    expect(text()).toContain("Could not load the sync status: Shop Sync is not connected to this store");
  });
});
