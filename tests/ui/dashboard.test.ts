// The dashboard's numbers through its loader: known orders in, exact sums, the 30-day window, test
// and cancelled orders left out, formatting in the shop's currency, and money past 2^53 kept exact.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { tenantDb } from "~/db/tenant.server";
import { loader } from "~/routes/app._index";
import { sessionStorage } from "~/shopify.server";
import { formatMoneyMinor, minorToDecimal } from "~/view-models/format";
import { embeddedDocumentRequest, installedOfflineSession } from "../support/shopify-requests";

const DAY = 86_400_000;
const EUR_SHOP = "dashboard-eur.myshopify.com";
const JPY_SHOP = "dashboard-jpy.myshopify.com";

async function connect(shop: string, currencyCode: string) {
  const store = await db.shopifyStore.create({
    data: { shop, name: shop, currencyCode, ianaTimezone: "Europe/Berlin" },
  });
  await sessionStorage.storeSession(installedOfflineSession(shop));
  return store;
}

let sequence = 0;
async function order(storeId: number, minor: bigint, currencyCode: string, createdAgoMs: number, extra = {}) {
  sequence += 1;
  await tenantDb(storeId).shopifyOrder.create({
    data: {
      storeId,
      shopifyId: `gid://shopify/Order/${sequence}`,
      name: `#${sequence}`,
      currencyCode,
      totalPrice: minorToDecimal(minor, currencyCode === "JPY" ? 0 : 2),
      totalPriceMinor: minor,
      shopifyCreatedAt: new Date(Date.now() - createdAgoMs),
      shopifyUpdatedAt: new Date(),
      ...extra,
    },
  });
}

async function dashboard(shop: string) {
  const view = await loader({ request: await embeddedDocumentRequest("/app", shop), params: {}, context: {} });
  if (!("stats" in view)) throw new Error("expected the dashboard");
  return view;
}

beforeAll(async () => {
  const eur = await connect(EUR_SHOP, "EUR");
  await order(eur.id, 1999n, "EUR", 1 * DAY);
  await order(eur.id, 501n, "EUR", 2 * DAY);
  await order(eur.id, 10000n, "EUR", 29 * DAY);
  await order(eur.id, 70000n, "EUR", 31 * DAY); // outside the 30-day window
  await order(eur.id, 5000n, "EUR", 1 * DAY, { test: true }); // test order
  await order(eur.id, 3000n, "EUR", 1 * DAY, { cancelledAt: new Date() }); // cancelled
  const data = tenantDb(eur.id);
  await data.shopifyProduct.create({
    data: { storeId: eur.id, shopifyId: "gid://shopify/Product/1", title: "Tee", shopifyUpdatedAt: new Date() },
  });
  await data.shopifyProductVariant.createMany({
    data: ["1", "2", "3"].map((id) => ({
      storeId: eur.id,
      shopifyId: `gid://shopify/ProductVariant/${id}`,
      productId: "gid://shopify/Product/1",
      shopifyUpdatedAt: new Date(),
    })),
  });
  await data.shopifyLocation.createMany({
    data: [
      { storeId: eur.id, shopifyId: "gid://shopify/Location/1", name: "Berlin" },
      { storeId: eur.id, shopifyId: "gid://shopify/Location/2", name: "Hamburg" },
    ],
  });
  await data.shopifyInventoryLevel.createMany({
    data: [
      {
        storeId: eur.id,
        inventoryItemId: "i1",
        locationId: "gid://shopify/Location/1",
        shopifyId: "l1",
        available: 1200,
        shopifyUpdatedAt: new Date(),
      },
      {
        storeId: eur.id,
        inventoryItemId: "i1",
        locationId: "gid://shopify/Location/2",
        shopifyId: "l2",
        available: 34,
        shopifyUpdatedAt: new Date(),
      },
    ],
  });

  const jpy = await connect(JPY_SHOP, "JPY");
  await order(jpy.id, 1900n, "JPY", 1 * DAY);
  // 2^53 + 1 yen: a float would round it.
  await order(jpy.id, 9_007_199_254_740_993n, "JPY", 3 * DAY);
});

describe("dashboard numbers", () => {
  it("sums the last 30 days of real orders exactly, in the shop's currency", async () => {
    const { stats } = await dashboard(EUR_SHOP);
    expect(stats.orders).toBe("3");
    // 19.99 + 5.01 + 100.00; the 31-day-old, test and cancelled orders are out.
    expect(stats.revenue).toBe("€125.00");
    // 12500 / 3 = 4166 minor units, rounded down to the cent.
    expect(stats.averageOrderValue).toBe("€41.66");
  });

  it("counts the catalogue and the stock", async () => {
    const { stats } = await dashboard(EUR_SHOP);
    expect(stats).toMatchObject({ products: "1", variants: "3", locations: "2", unitsInStock: "1,234" });
  });

  it("charts orders and revenue per day over the window, in the shop's timezone", async () => {
    const { chart: view } = await dashboard(EUR_SHOP);
    const chart = view.days;
    expect(chart.length).toBeGreaterThanOrEqual(30);
    expect(chart.length).toBeLessThanOrEqual(32);
    expect(chart.reduce((sum, day) => sum + day.orders, 0)).toBe(3);
    // Revenue in major units for the chart's scale (19.99 + 5.01 + 100.00); the labels are exact.
    expect(chart.reduce((sum, day) => sum + day.revenue, 0)).toBeCloseTo(125, 6);
    const days = chart.map((day) => day.day);
    expect([...days].sort()).toEqual(days);
    const yesterday = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Berlin" }).format(
      new Date(Date.now() - DAY),
    );
    expect(chart.find((day) => day.day === yesterday)).toMatchObject({ orders: 1, revenueLabel: "€19.99" });
  });

  it("formats zero-decimal currencies and keeps sums past 2^53 exact", async () => {
    const { stats } = await dashboard(JPY_SHOP);
    expect(stats.orders).toBe("2");
    expect(stats.revenue).toBe("¥9,007,199,254,742,893");
    expect(formatMoneyMinor(1900n, "JPY")).toBe("¥1,900");
  });

  it("shows no average and an empty chart without orders", async () => {
    const shop = "dashboard-empty.myshopify.com";
    await connect(shop, "USD");
    const { stats, chart } = await dashboard(shop);
    expect(stats).toMatchObject({ orders: "0", revenue: "$0.00", averageOrderValue: null, products: "0" });
    expect(chart.days.every((day) => day.orders === 0)).toBe(true);
  });

  it("shows the connecting state before the store is recorded", async () => {
    const shop = "dashboard-unrecorded.myshopify.com";
    await sessionStorage.storeSession(installedOfflineSession(shop));
    const view = await loader({ request: await embeddedDocumentRequest("/app", shop), params: {}, context: {} });
    expect(view).toEqual({ store: null });
  });
});
