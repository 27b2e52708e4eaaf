import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCore, TEST_SHOP, type CoreHarness } from "../testing-core";

let h: CoreHarness;
beforeAll(async () => {
  h = await startCore({ seed: "bulk", products: 40, maxVariants: 4, orders: 10 });
});
afterAll(() => h.emu.close());

const RUN = `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) {
  bulkOperation { id status objectCount url } userErrors { field message code } } }`;
const STATUS = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl completedAt } }`;

async function runToEnd(query: string) {
  const r = await h.gql(RUN, { q: query });
  expect(r.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
  const op = r.body.data.bulkOperationRunQuery.bulkOperation;
  expect(op.status).toBe("CREATED");
  expect(op.objectCount).toBe("0");
  await h.emu.bulk.idle();
  return (await h.gql(STATUS, { id: op.id })).body.data.bulkOperation;
}

describe("bulk operations", () => {
  it("writes JSONL like Shopify: one object per line, escaped slashes, __parentId, out-of-order children", async () => {
    const done = await runToEnd(
      `{ products { edges { node { id title variants { edges { node { id sku price } } } } } } }`,
    );
    expect(done.status).toBe("COMPLETED");
    expect(done.objectCount).toMatch(/^\d+$/); // UnsignedInt64 → string
    expect(typeof done.fileSize).toBe("string");
    const res = await fetch(done.url);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(Buffer.byteLength(text)).toBe(Number(done.fileSize));
    expect(text.endsWith("\n")).toBe(true);
    expect(text).toContain('"gid:\\/\\/shopify\\/Product\\/');
    expect(text).not.toContain("gid://");
    const rows = text
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { id: string; __parentId?: string });
    expect(rows).toHaveLength(Number(done.objectCount));
    const roots = rows.filter((r) => !r.__parentId);
    expect(roots).toHaveLength(40);
    expect(done.rootObjectCount).toBe("40");
    // Join children by __parentId, as the app must.
    const byId = new Map(roots.map((r) => [r.id, [] as string[]]));
    for (const r of rows) if (r.__parentId) byId.get(r.__parentId)!.push(r.id);
    const store = (await h.control("GET", `/__emulator/shops/${TEST_SHOP}/store`)).body;
    for (const p of store.products) expect(byId.get(p.gid)).toEqual(p.variants.map((v: { gid: string }) => v.gid));
    // Some child appears after a later parent (not right after its own).
    let lastRoot = "";
    let outOfOrder = 0;
    for (const r of rows) {
      if (!r.__parentId) lastRoot = r.id;
      else if (r.__parentId !== lastRoot) outOfOrder++;
    }
    expect(outOfOrder).toBeGreaterThan(0);
  });

  it("walks nested connections two levels deep and answers url null when nothing matched", async () => {
    const done = await runToEnd(
      `{ locations { edges { node { id name inventoryLevels { edges { node { id quantities(names: ["available"]) { quantity } } } } } } } }`,
    );
    expect(done.status).toBe("COMPLETED");
    const rows = (await (await fetch(done.url)).text())
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(rows.filter((r) => r.__parentId?.includes("/Location/")).length).toBe(rows.length - 2);
    const none = await runToEnd(`{ products(query: "title:nothing-matches-this") { edges { node { id } } } }`);
    expect(none).toMatchObject({ status: "COMPLETED", url: null, objectCount: "0" });
  });

  it("rejects invalid bulk queries with Shopify's userErrors", async () => {
    const errs = async (q: string) => (await h.gql(RUN, { q })).body.data.bulkOperationRunQuery;
    expect(await errs(`{ shop { name } }`)).toEqual({
      bulkOperation: null,
      userErrors: [
        { field: ["query"], message: "Bulk queries must contain at least one connection.", code: "INVALID" },
      ],
    });
    expect((await errs(`{ node(id: "gid://shopify/Product/1") { id } }`)).userErrors[0].message).toBe(
      "Bulk queries cannot contain a top level `node` field.",
    );
    expect(
      (
        await errs(
          `{ locations { edges { node { id inventoryLevels { edges { node { id item { id variants { edges { node { id } } } } } } } } } } }`,
        )
      ).userErrors[0].message,
    ).toBe("Bulk queries cannot contain connections with a nesting depth greater than 2.");
    const six = `{ products { edges { node { id a: variants { edges { node { id } } } b: variants { edges { node { id } } } c: variants { edges { node { id } } } d: variants { edges { node { id } } } e: variants { edges { node { id } } } } } } }`;
    expect((await errs(six)).userErrors[0].message).toBe("Bulk queries cannot contain more than 5 connections.");
  });

  // Shopify's bulk guide lists what a bulk query may not contain and says nothing of fragments (ADR
  // 0036): the emulator accepts them, and applies every listed rule to the fields they bring in.
  it("reads fragments as the fields they stand for: same JSONL, same rules", async () => {
    const lines = async (query: string) =>
      (await (await fetch((await runToEnd(query)).url)).text()).trimEnd().split("\n");
    const written = await lines(`{ products { edges { node { id title variants { edges { node { id sku } } } } } } }`);
    const named = await lines(`query { products { edges { node { ...P } } } }
      fragment P on Product { id title variants { edges { node { ...V } } } }
      fragment V on ProductVariant { id sku }`);
    const inline = await lines(
      `{ products { edges { node { ... on Product { id title variants { edges { node { id sku } } } } } } } }`,
    );
    expect(named.sort()).toEqual([...written].sort());
    expect(inline.sort()).toEqual([...written].sort());

    const errs = async (q: string) => (await h.gql(RUN, { q })).body.data.bulkOperationRunQuery.userErrors;
    const sixth = `query { products { edges { node { id a: variants { edges { node { id } } } b: variants { edges { node { id } } } c: variants { edges { node { id } } } d: variants { edges { node { id } } } ...More } } } }
      fragment More on Product { e: variants { edges { node { id } } } }`;
    expect((await errs(sixth))[0].message).toBe("Bulk queries cannot contain more than 5 connections.");
    const third = `query { locations { edges { node { id inventoryLevels { edges { node { id ...Deeper } } } } } } }
      fragment Deeper on InventoryLevel { item { id variants { edges { node { id } } } } }`;
    expect((await errs(third))[0].message).toBe(
      "Bulk queries cannot contain connections with a nesting depth greater than 2.",
    );
    const topLevel = `query { ...Root } fragment Root on QueryRoot { node(id: "gid://shopify/Product/1") { id } }`;
    expect((await errs(topLevel))[0].message).toBe("Bulk queries cannot contain a top level `node` field.");
  });

  it("runs 5 operations at once per shop and refuses the 6th", async () => {
    // Keep operations CREATED long enough to pile up.
    h.emu.bulk.startDelayMs = 300_000; // × timeScale 0.001 = 300 ms
    const ids: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const r = await h.gql(RUN, { q: `{ products { edges { node { id } } } }` });
        expect(r.body.data.bulkOperationRunQuery.userErrors).toEqual([]);
        ids.push(r.body.data.bulkOperationRunQuery.bulkOperation.id);
      }
      const sixth = await h.gql(RUN, { q: `{ products { edges { node { id } } } }` });
      expect(sixth.body.data.bulkOperationRunQuery.bulkOperation).toBeNull();
      expect(sixth.body.data.bulkOperationRunQuery.userErrors[0]).toMatchObject({ field: null, code: "LIMIT_REACHED" });
      expect(sixth.body.data.bulkOperationRunQuery.userErrors[0].message).toContain("already in progress");
      // Cancel one: CANCELING, then CANCELED, and a slot frees up.
      const c = await h.gql(
        `mutation($id: ID!) { bulkOperationCancel(id: $id) { bulkOperation { status } userErrors { field message } } }`,
        { id: ids[0] },
      );
      expect(c.body.data.bulkOperationCancel).toEqual({ bulkOperation: { status: "CANCELING" }, userErrors: [] });
    } finally {
      h.emu.bulk.startDelayMs = 0;
    }
    await h.emu.bulk.idle();
    expect((await h.gql(STATUS, { id: ids[0] })).body.data.bulkOperation.status).toBe("CANCELED");
    expect((await h.gql(STATUS, { id: ids[1] })).body.data.bulkOperation.status).toBe("COMPLETED");
  });

  it("serves results on signed URLs that expire after 7 days (403 like GCS)", async () => {
    const done = await runToEnd(`{ products { edges { node { id } } } }`);
    const tampered = done.url.replace(/X-Goog-Signature=[0-9a-f]/, "X-Goog-Signature=z");
    const bad = await fetch(tampered);
    expect(bad.status).toBe(403);
    expect(await bad.text()).toContain("<Code>SignatureDoesNotMatch</Code>");
    h.clock.advance(7 * 24 * 3600 * 1000 - 1000);
    expect((await fetch(done.url)).status).toBe(200);
    h.clock.advance(2000);
    const expired = await fetch(done.url);
    expect(expired.status).toBe(403);
    expect(await expired.text()).toContain("<Code>ExpiredToken</Code>");
  });

  it("fails on demand with partial data and emits bulk_operations/finish", async () => {
    const seen: Array<{ topic: string; resource: { status: string; errorCode: string | null } }> = [];
    const on = (c: (typeof seen)[number]) => seen.push(c);
    h.emu.ctx.events.on("change", on);
    await h.control("POST", `/__emulator/shops/${TEST_SHOP}/bulk-operations/fail-next`, { errorCode: "TIMEOUT" });
    const done = await runToEnd(`{ products { edges { node { id } } } }`);
    h.emu.ctx.events.off("change", on);
    expect(done).toMatchObject({ status: "FAILED", errorCode: "TIMEOUT", url: null });
    expect((await fetch(done.partialDataUrl)).status).toBe(200);
    expect(seen.find((c) => c.topic === "bulk_operations/finish")?.resource).toMatchObject({
      status: "FAILED",
      errorCode: "TIMEOUT",
    });
  });

  it("fails on demand even when the query matches fewer roots than it fails at", async () => {
    await h.control("POST", `/__emulator/shops/${TEST_SHOP}/bulk-operations/fail-next`, {
      errorCode: "INTERNAL_SERVER_ERROR",
    });
    const done = await runToEnd(`{ products(query: "title:no-such-product-anywhere") { edges { node { id } } } }`);
    // Shopify's shape for a failed operation with nothing written: no url, no partial data.
    expect(done).toMatchObject({
      status: "FAILED",
      errorCode: "INTERNAL_SERVER_ERROR",
      url: null,
      partialDataUrl: null,
    });
  });
});
