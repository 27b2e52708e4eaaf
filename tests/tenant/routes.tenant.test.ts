// Tenant isolation through real requests: a request authenticated for shop A (a session token signed
// for A) only ever sees A's store. Later issues add a case here for every route they add.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { loader as dashboardLoader } from "~/routes/app._index";
import { sessionStorage } from "~/shopify.server";
import { embeddedDocumentRequest, installedOfflineSession } from "../support/shopify-requests";

const SHOP_A = "tenant-route-a.myshopify.com";
const SHOP_B = "tenant-route-b.myshopify.com";

beforeAll(async () => {
  for (const shop of [SHOP_A, SHOP_B]) {
    await db.shopifyStore.create({ data: { shop, name: `Store ${shop}`, currencyCode: "EUR" } });
    await sessionStorage.storeSession(installedOfflineSession(shop));
  }
});

async function callLoader<T>(loader: (args: LoaderFunctionArgs) => Promise<T>, request: Request) {
  return loader({ request, params: {}, context: {} });
}

describe("dashboard (/app)", () => {
  it("shows the authenticated shop's store and never another's", async () => {
    const forA = await callLoader(dashboardLoader, await embeddedDocumentRequest("/app", SHOP_A));
    expect(forA.store?.shop).toBe(SHOP_A);
    const forB = await callLoader(dashboardLoader, await embeddedDocumentRequest("/app", SHOP_B));
    expect(forB.store?.shop).toBe(SHOP_B);
  });

  it("refuses a session token not signed with the app secret", async () => {
    const request = await embeddedDocumentRequest("/app", SHOP_A);
    const url = new URL(request.url);
    const { sessionToken } = await import("../support/shopify-requests");
    url.searchParams.set("id_token", await sessionToken(SHOP_A, { secret: "not-the-secret" }));
    const outcome = await callLoader(dashboardLoader, new Request(url)).catch((thrown: unknown) => thrown);
    expect(outcome).toBeInstanceOf(Response);
    expect([302, 400, 401]).toContain((outcome as Response).status);
  });
});
