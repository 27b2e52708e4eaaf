// Bad input in list pages and the JSON API's page parameter (issue 12, item 10): an impossible date in
// the orders filter and an out-of-range or malformed page number answer 400 with a message naming
// what is wrong, never a 500 from the database; blank form fields still mean "no filter" / page 1.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import * as jobsApi from "~/routes/api.v1.shopify.stores.$shopId.sync.jobs";
import * as orders from "~/routes/app.orders._index";
import * as products from "~/routes/app.products._index";
import * as sync from "~/routes/app.sync";
import * as webhooks from "~/routes/app.webhooks._index";
import { sessionStorage } from "~/shopify.server";
import { bearerRequest, embeddedDocumentRequest, installedOfflineSession } from "../support/shopify-requests";
import { outcome } from "../tenant/seed";

const SHOP = "list-params.myshopify.com";
let storeId: number;

beforeAll(async () => {
  storeId = (await db.shopifyStore.create({ data: { shop: SHOP, name: "List params", currencyCode: "EUR" } })).id;
  await sessionStorage.storeSession(installedOfflineSession(SHOP));
});

type Loader = (args: LoaderFunctionArgs) => Promise<unknown>;

async function load(loader: Loader, path: string, request?: Request) {
  return outcome(async () =>
    loader({
      request: request ?? (await embeddedDocumentRequest(path, SHOP)),
      params: { shopId: String(storeId) },
      context: {},
    }),
  );
}

/** The answer is a 400 whose JSON message contains `message`. */
async function expectBadRequest(answer: unknown, message: string) {
  expect(answer).toBeInstanceOf(Response);
  const response = answer as Response;
  expect(response.status).toBe(400);
  const body = (await response.json()) as { error: { code: string; message: string } };
  expect(body.error.code).toBe("bad_request");
  expect(body.error.message).toContain(message);
}

const PAGE_MESSAGE = "page must be a whole number from 1 to 10000";
const BAD_PAGES = ["0", "-1", "10001", "99999999999", "1e308", "1.5", "abc"];

describe("the orders filter's dates", () => {
  it.each(["2024-13-45", "2023-02-29", "2024-04-31", "yesterday", "2024-1-5"])(
    "answers 400 for %s as from and as to",
    async (day) => {
      await expectBadRequest(await load(orders.loader, `/app/orders?from=${day}`), "from must be a calendar day");
      await expectBadRequest(await load(orders.loader, `/app/orders?to=${day}`), "to must be a calendar day");
    },
  );

  it("answers 400 for a range that ends before it starts", async () => {
    await expectBadRequest(
      await load(orders.loader, "/app/orders?from=2024-05-02&to=2024-05-01"),
      "from must not be after to",
    );
  });

  it("takes real days, a leap day, and blank fields (the form's empty date inputs)", async () => {
    for (const path of [
      "/app/orders?from=2024-02-29&to=2024-03-01",
      "/app/orders?from=&to=&financialStatus=&page=",
      "/app/orders?from=2024-01-01",
    ]) {
      const view = await load(orders.loader, path);
      expect(view).not.toBeInstanceOf(Response);
      expect((view as { pagination: { page: number } }).pagination.page).toBe(1);
    }
  });
});

describe("page numbers", () => {
  const lists: Array<[string, Loader, string]> = [
    ["products", products.loader, "/app/products"],
    ["orders", orders.loader, "/app/orders"],
    ["webhooks", webhooks.loader, "/app/webhooks"],
    ["sync", sync.loader, "/app/sync"],
  ];

  it.each(lists)("the %s page answers 400 for a page out of range or not a whole number", async (_, loader, path) => {
    for (const page of BAD_PAGES) await expectBadRequest(await load(loader, `${path}?page=${page}`), PAGE_MESSAGE);
    const last = await load(loader, `${path}?page=10000`);
    expect(last).not.toBeInstanceOf(Response); // the deepest page is served (empty)
  });

  it("the JSON API's sync jobs answer 400 for a bad page, and page 1 when it is absent", async () => {
    const path = `/api/v1/shopify/stores/${storeId}/sync/jobs`;
    for (const page of BAD_PAGES) {
      await expectBadRequest(
        await load(jobsApi.loader, "", await bearerRequest(`${path}?page=${page}`, SHOP)),
        PAGE_MESSAGE,
      );
    }
    const response = (await load(jobsApi.loader, "", await bearerRequest(path, SHOP))) as Response;
    expect(response.status).toBe(200);
    expect(((await response.json()) as { meta: { page: number } }).meta.page).toBe(1);
  });
});
