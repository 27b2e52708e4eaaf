import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCore, TEST_SHOP, type CoreHarness } from "../testing-core";

let h: CoreHarness;
beforeAll(async () => {
  h = await startCore({ seed: "gql", products: 60, maxVariants: 4, locations: 3, orders: 30 });
});
afterAll(() => h.emu.close());

// What the app's incremental product sync sends.
const PRODUCTS_SINCE = /* GraphQL */ `
  query ProductsSince($first: Int, $last: Int, $after: String, $before: String, $query: String) {
    products(first: $first, last: $last, after: $after, before: $before, sortKey: UPDATED_AT, query: $query) {
      edges {
        cursor
        node {
          id
          legacyResourceId
          title
          handle
          status
          updatedAt
          tags
          variants(first: 10) {
            nodes {
              id
              sku
              price
              compareAtPrice
              position
              inventoryQuantity
              selectedOptions {
                name
                value
              }
              inventoryItem {
                id
                legacyResourceId
                tracked
              }
            }
          }
        }
      }
      pageInfo {
        hasNextPage
        hasPreviousPage
        startCursor
        endCursor
      }
    }
  }
`;

async function dump() {
  return (await h.control("GET", `/__emulator/shops/${TEST_SHOP}/store`)).body;
}

describe("Admin GraphQL", () => {
  it("pages products by updated_at forwards and backwards, matching the store", async () => {
    const since = "2025-09-01T00:00:00Z";
    const query = `updated_at:>'${since}'`;
    const forward: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r: { status: number; body: any } = await h.gql(PRODUCTS_SINCE, { first: 7, after, query }); // eslint-disable-line @typescript-eslint/no-explicit-any
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      const conn: any = r.body.data.products; // eslint-disable-line @typescript-eslint/no-explicit-any
      forward.push(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
      expect(conn.pageInfo.hasPreviousPage).toBe(pages > 0);
      pages++;
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    const store = await dump();
    const expected = store.products
      .filter((p: { updatedAt: string }) => p.updatedAt > since)
      .sort((a: { updatedAt: string; id: string }, b: { updatedAt: string; id: string }) =>
        a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : BigInt(a.id) < BigInt(b.id) ? -1 : 1,
      )
      .map((p: { gid: string }) => p.gid);
    expect(expected.length).toBeGreaterThan(7);
    expect(forward).toEqual(expected);

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const r: { body: any } = await h.gql(PRODUCTS_SINCE, { last: 5, before, query }); // eslint-disable-line @typescript-eslint/no-explicit-any
      const conn: any = r.body.data.products; // eslint-disable-line @typescript-eslint/no-explicit-any
      backward.unshift(...conn.edges.map((e: { node: { id: string } }) => e.node.id));
      if (!conn.pageInfo.hasPreviousPage) break;
      before = conn.pageInfo.startCursor;
    }
    expect(backward).toEqual(expected);
  });

  it("answers the app's orders, locations and shop queries", async () => {
    const r = await h.gql(`{
      shop { name myshopifyDomain currencyCode ianaTimezone plan { displayName shopifyPlus } }
      orders(first: 5, sortKey: CREATED_AT) { nodes { id name createdAt displayFinancialStatus
        totalPriceSet { shopMoney { amount currencyCode } } subtotalPriceSet { shopMoney { amount } }
        totalTaxSet { shopMoney { amount } } totalDiscountsSet { shopMoney { amount } }
        customer { id email } lineItems(first: 10) { nodes { id title sku quantity currentQuantity
          originalUnitPriceSet { shopMoney { amount } } totalDiscountSet { shopMoney { amount } } variant { id } product { id } } } } }
      locations(first: 10) { nodes { id name isActive address { city countryCode }
        inventoryLevels(first: 3) { nodes { id updatedAt quantities(names: ["available", "on_hand", "committed"]) { name quantity }
          item { id sku variant { id } } } } } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.shop.myshopifyDomain).toBe(TEST_SHOP);
    const cents = (s: string) => Math.round(Number(s) * 100);
    for (const o of r.body.data.orders.nodes) {
      expect(o.name).toMatch(/^#\d{4,}$/);
      const lines = o.lineItems.nodes.reduce(
        (n: number, li: { quantity: number; originalUnitPriceSet: { shopMoney: { amount: string } } }) =>
          n + li.quantity * cents(li.originalUnitPriceSet.shopMoney.amount),
        0,
      );
      // Money is consistent: total = lines − discounts + tax (no shipping in seeded orders).
      expect(cents(o.totalPriceSet.shopMoney.amount)).toBe(
        lines - cents(o.totalDiscountsSet.shopMoney.amount) + cents(o.totalTaxSet.shopMoney.amount),
      );
      expect(o.totalPriceSet.shopMoney.currencyCode).toBe("USD");
    }
    const locs = r.body.data.locations.nodes;
    expect(locs).toHaveLength(3);
    const level = locs[0].inventoryLevels.nodes[0];
    expect(level.id).toMatch(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/);
    const q = Object.fromEntries(level.quantities.map((x: { name: string; quantity: number }) => [x.name, x.quantity]));
    expect(q.on_hand).toBe(q.available + q.committed);
    expect(r.body.extensions.cost.requestedQueryCost).toBeGreaterThan(0);
  });

  it("supports the search syntax (AND, status lists, id:>, created_at:>=, negation)", async () => {
    const store = await dump();
    const ids = store.products
      .map((p: { id: string }) => BigInt(p.id))
      .sort((a: bigint, b: bigint) => (a < b ? -1 : 1));
    const pivot = ids[20]!;
    const count = async (query: string) => {
      const r = await h.gql(
        `query($q: String) { productsCount(query: $q, limit: null) { count } products(first: 250, query: $q) { nodes { id status createdAt tags } } }`,
        { q: query },
      );
      expect(r.body.errors).toBeUndefined();
      return r.body.data.products.nodes as Array<{ id: string; status: string; createdAt: string; tags: string[] }>;
    };
    const active = await count("status:active");
    expect(active.length).toBe(store.products.filter((p: { status: string }) => p.status === "ACTIVE").length);
    const notActive = await count("status:draft,archived");
    expect(active.length + notActive.length).toBe(store.products.length);
    const after = await count(`id:>${pivot}`);
    expect(after.length).toBe(ids.filter((i: bigint) => i > pivot).length);
    const combined = await count(`id:>${pivot} AND created_at:>='2025-08-01' -status:active`);
    expect(
      combined.every(
        (p) => p.status !== "ACTIVE" && p.createdAt >= "2025-08-01" && BigInt(p.id.split("/").pop()!) > pivot,
      ),
    ).toBe(true);
    const warn = await h.gql(`{ products(first: 1, query: "made_up:value") { nodes { id } } }`);
    expect(warn.body.extensions.search[0].warnings[0]).toEqual({
      field: "made_up",
      message: "Invalid search field for this query.",
      code: "invalid_field",
    });
  });

  it("names an unimplemented field instead of answering null", async () => {
    const r = await h.gql(`{ products(first: 1) { nodes { id seo { title } } } }`);
    expect(r.body.errors[0].message).toContain("field Product.seo is not implemented by the Shop Sync emulator");
    expect(r.body.errors[0].path).toEqual(["products", "nodes", 0, "seo"]);
  });

  it("validates against the official schema with Shopify's error shape", async () => {
    const r = await h.gql(`{ products(first: 1) { nodes { idx } } }`);
    expect(r.body.errors[0]).toMatchObject({
      message: "Field 'idx' doesn't exist on type 'Product'",
      extensions: { code: "undefinedField" },
    });
    expect(r.body.data).toBeUndefined();
  });

  it("refuses queries above 1000 points and bad tokens like Shopify", async () => {
    const big = await h.gql(
      `{ products(first: 250) { nodes { variants(first: 250) { nodes { inventoryItem { inventoryLevels(first: 250) { nodes { location { id } } } } } } } } }`,
    );
    expect(big.body.errors[0].extensions).toMatchObject({ code: "MAX_COST_EXCEEDED", maxCost: 1000 });
    const bad = await h.gql(`{ shop { name } }`, {}, { token: "shpat_nope" });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({
      errors: "[API] Invalid API key or access token (unrecognized login or wrong password)",
    });
    const missingPage = await h.gql(`{ products { nodes { id } } }`);
    expect(missingPage.body.errors[0].message).toBe("you must provide one of first or last");
  });

  it("keeps ids above 2^53 exact in GIDs, legacyResourceId and cursors", async () => {
    const store = await dump();
    const level = store.inventoryLevels[0];
    expect(BigInt(level.inventoryItemId) > 2n ** 53n).toBe(true);
    expect(BigInt(level.id) > 2n ** 53n).toBe(true);
    const r = await h.gql(
      `query($id: ID!) { inventoryItem(id: $id) { id legacyResourceId inventoryLevels(first: 5) { nodes { id location { id } } } } }`,
      {
        id: `gid://shopify/InventoryItem/${level.inventoryItemId}`,
      },
    );
    expect(r.body.data.inventoryItem.legacyResourceId).toBe(level.inventoryItemId);
    expect(r.raw).toContain(`"legacyResourceId":"${level.inventoryItemId}"`);
    const gids = r.body.data.inventoryItem.inventoryLevels.nodes.map((n: { id: string }) => n.id);
    expect(gids).toContain(level.gid);
    const viaNode = await h.gql(
      `query($id: ID!) { node(id: $id) { id ... on InventoryLevel { quantities(names: ["available"]) { quantity } } } }`,
      { id: level.gid },
    );
    expect(viaNode.body.data.node.id).toBe(level.gid);
    expect(viaNode.body.data.node.quantities[0].quantity).toBe(level.available);
    const order = store.orders[0];
    expect(BigInt(order.id) > 2n ** 53n).toBe(true);
    const o = await h.gql(
      `query($id: ID!) { order(id: $id) { legacyResourceId lineItems(first: 1) { edges { cursor node { id } } } } }`,
      { id: order.gid },
    );
    expect(o.body.data.order.legacyResourceId).toBe(order.id);
    const cursor = Buffer.from(o.body.data.order.lineItems.edges[0].cursor, "base64").toString();
    expect(cursor).toContain(order.lineItems[0].id);
  });

  it("reflects control-API activity and bumps updatedAt", async () => {
    const store = await dump();
    const p = store.products[0];
    h.clock.advance(60_000);
    const upd = await h.control("PATCH", `/__emulator/shops/${TEST_SHOP}/products/${p.id}`, {
      title: "Renamed by merchant",
    });
    expect(upd.status).toBe(200);
    const r = await h.gql(
      `query($q: String) { products(first: 5, sortKey: UPDATED_AT, reverse: true, query: $q) { nodes { id title updatedAt } } }`,
      {
        q: `updated_at:>='${new Date(h.clock.now()).toISOString()}'`,
      },
    );
    expect(r.body.data.products.nodes).toEqual([
      { id: p.gid, title: "Renamed by merchant", updatedAt: new Date(h.clock.now()).toISOString().replace(".000", "") },
    ]);
  });
});
