// The join of child lines to parents in a bulk file, where a child comes before its parent: the child
// waits (across a batch boundary, in the checkpoint), and a run resumed from that checkpoint writes
// the same rows as a run that was never interrupted.
import { describe, expect, it } from "vitest";
import { fromBulkLine } from "~/sync/engine/from-graphql";
import type { MappedChunk } from "./bulk-lines.server";
import { consumeBulkLines, type Batch, type ParentLookup } from "./consume.server";

const product = (n: number) =>
  JSON.stringify({
    id: `gid://shopify/Product/${n}`,
    title: `Product ${n}`,
    handle: `product-${n}`,
    vendor: "Acme",
    productType: null,
    status: "ACTIVE",
    tags: [],
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: `2026-01-0${n}T00:00:00Z`,
    publishedAt: null,
  });

const variant = (n: number, parent: number) =>
  JSON.stringify({
    id: `gid://shopify/ProductVariant/${n}`,
    title: `V${n}`,
    sku: `SKU-${n}`,
    barcode: null,
    price: "10.00",
    compareAtPrice: null,
    position: 1,
    inventoryItem: { id: `gid://shopify/InventoryItem/${n}` },
    inventoryPolicy: "DENY",
    inventoryQuantity: 3,
    selectedOptions: [{ name: "Title", value: "Default" }],
    taxable: true,
    createdAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-02T00:00:00Z",
    __parentId: `gid://shopify/Product/${parent}`,
  });

// Variant 21 of product 2 comes before product 2, and two batches before it.
const FILE = [product(1), variant(21, 2), variant(11, 1), product(3), "", product(2), variant(31, 3)];

async function* chunksOf(lines: string[], skipLines: number): AsyncGenerator<MappedChunk> {
  const mapped = lines
    .map((text, i) => ({ line: i + 1, text }))
    .filter(({ line, text }) => line > skipLines && text.length > 0)
    .map(({ line, text }) => ({ line, row: fromBulkLine(JSON.parse(text)) }));
  for (let i = 0; i < mapped.length; i += 2) yield { lines: mapped.slice(i, i + 2), lastLine: lines.length };
}

/** The database of one test: products committed by earlier batches, also those of an interrupted run. */
function storedProducts(committed: () => Batch[]): ParentLookup {
  return {
    products: async (ids) =>
      new Set(
        committed()
          .flatMap((batch) => batch.products.map((row) => row.shopifyId))
          .filter((id) => ids.includes(id)),
      ),
    orders: async () => new Map(),
  };
}

async function consume(
  from: { linesCommitted: number; waiting: Batch["waiting"] },
  { stopAfterBatches = Infinity, committedBefore = [] as Batch[] } = {},
) {
  const batches: Batch[] = [];
  const controller = new AbortController();
  const result = await consumeBulkLines({
    chunks: chunksOf(FILE, from.linesCommitted),
    from,
    batchLines: 2,
    lookup: storedProducts(() => [...committedBefore, ...batches]),
    signal: controller.signal,
    commit: async (batch) => {
      batches.push(batch);
      if (batches.length >= stopAfterBatches) controller.abort();
    },
  });
  return { batches, result };
}

describe("consumeBulkLines", () => {
  it("holds a child whose parent comes later in the checkpoint, as a line that maps to the same row", async () => {
    const { batches, result } = await consume({ linesCommitted: 0, waiting: [] });
    expect(result.orphans).toEqual([]);
    const first = batches[0] as Batch;
    expect(first.linesCommitted).toBe(2);
    expect(first.waiting.map((line) => line.line)).toEqual([2]);
    // The waiting text is the variant's line again: it maps to exactly the row the file's line does.
    expect(fromBulkLine(JSON.parse((first.waiting[0] as { text: string }).text))).toEqual(
      fromBulkLine(JSON.parse(FILE[1] as string)),
    );
    const variants = batches.flatMap((batch) => batch.variants.map((row) => row.shopifyId));
    expect(variants.sort()).toEqual([
      "gid://shopify/ProductVariant/11",
      "gid://shopify/ProductVariant/21",
      "gid://shopify/ProductVariant/31",
    ]);
    expect(batches.at(-1)?.linesCommitted).toBe(FILE.length);
    expect(batches.at(-1)?.waiting).toEqual([]);
  });

  it("resumed from a checkpoint with a waiting child, writes what an uninterrupted run writes", async () => {
    const whole = await consume({ linesCommitted: 0, waiting: [] });
    const interrupted = await consume({ linesCommitted: 0, waiting: [] }, { stopAfterBatches: 1 });
    expect(interrupted.result.aborted).toBe(true);
    const checkpoint = interrupted.batches[0] as Batch;
    const resumed = await consume(
      { linesCommitted: checkpoint.linesCommitted, waiting: checkpoint.waiting },
      { committedBefore: interrupted.batches },
    );
    expect(resumed.result.orphans).toEqual([]);

    const written = (batches: Batch[]) => ({
      products: batches.flatMap((batch) => batch.products).sort((a, b) => a.shopifyId.localeCompare(b.shopifyId)),
      variants: batches.flatMap((batch) => batch.variants).sort((a, b) => a.shopifyId.localeCompare(b.shopifyId)),
    });
    expect(written([...interrupted.batches, ...resumed.batches])).toEqual(written(whole.batches));
    expect(resumed.batches.at(-1)?.linesCommitted).toBe(FILE.length);
  });
});
