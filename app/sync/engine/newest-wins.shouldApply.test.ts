import { describe, expect, it } from "vitest";
import {
  diffChildren,
  guardedUpdates,
  productNewestWinsWhere,
  shouldApply,
  shouldApplyTombstone,
  tombstoneRow,
  tombstoneWhere,
  upsertGuardSql,
} from "./newest-wins";

const t = (minute: number) => new Date(Date.UTC(2026, 0, 1, 0, minute));

describe("shouldApply", () => {
  // [stored updatedAt, stored deletedAt, incoming updatedAt, applies]
  const table: Array<[number | null | "none", number | null, number, boolean]> = [
    ["none", null, 10, true], // nothing stored
    [10, null, 9, false], // older
    [10, null, 10, true], // equal: idempotent
    [10, null, 11, true], // newer
    [null, null, 1, true], // stored without a timestamp
    [10, 20, 15, false], // tombstone; update older than the deletion
    [10, 20, 20, false], // update at the deletion time: the tombstone wins ties
    [10, 20, 21, true], // update strictly after the deletion: the tombstone was wrong
    [30, 20, 25, false], // (stored newer than its own tombstone) still older than stored
  ];
  it.each(table)("stored %s, deleted %s, incoming %s → %s", (stored, deleted, incoming, applies) => {
    const existing =
      stored === "none"
        ? null
        : { shopifyUpdatedAt: stored === null ? null : t(stored), deletedAt: deleted === null ? null : t(deleted) };
    expect(shouldApply(existing, { shopifyUpdatedAt: t(incoming) })).toBe(applies);
  });
});

describe("shouldApplyTombstone", () => {
  const tombstone = { shopifyId: "gid://shopify/Product/1", deletedAt: t(20) };
  it("deletes a live row not newer than the deletion, once", () => {
    expect(shouldApplyTombstone(null, tombstone)).toBe(true);
    expect(shouldApplyTombstone({ shopifyUpdatedAt: t(10) }, tombstone)).toBe(true);
    expect(shouldApplyTombstone({ shopifyUpdatedAt: t(20) }, tombstone)).toBe(true);
    expect(shouldApplyTombstone({ shopifyUpdatedAt: t(21) }, tombstone)).toBe(false);
    expect(shouldApplyTombstone({ shopifyUpdatedAt: t(10), deletedAt: t(15) }, tombstone)).toBe(false);
  });

  it("a placeholder row for a product never stored keeps older updates out", () => {
    const row = tombstoneRow(tombstone);
    expect(row).toMatchObject({ shopifyId: tombstone.shopifyId, deletedAt: t(20), shopifyUpdatedAt: t(20) });
    expect(shouldApply(row, { shopifyUpdatedAt: t(19) })).toBe(false);
    expect(shouldApply(row, { shopifyUpdatedAt: t(20) })).toBe(false);
  });
});

describe("SQL and Prisma guards", () => {
  it("say the same as shouldApply", () => {
    expect(productNewestWinsWhere(t(5))).toEqual({
      shopifyUpdatedAt: { lte: t(5) },
      OR: [{ deletedAt: null }, { deletedAt: { lt: t(5) } }],
    });
    expect(tombstoneWhere({ shopifyId: "x", deletedAt: t(5) })).toEqual({
      deletedAt: null,
      shopifyUpdatedAt: { lte: t(5) },
    });
    expect(upsertGuardSql("shopify_products", { tombstone: true })).toBe(
      '("shopify_products"."shopifyUpdatedAt" IS NULL OR excluded."shopifyUpdatedAt" >= "shopify_products"."shopifyUpdatedAt")' +
        ' AND ("shopify_products"."deletedAt" IS NULL OR excluded."shopifyUpdatedAt" > "shopify_products"."deletedAt")',
    );
  });

  it("guardedUpdates keys each row and guards it by its own timestamp", () => {
    const rows = [
      { inventoryItemId: "i1", locationId: "l1", available: 1, shopifyUpdatedAt: t(1) },
      { inventoryItemId: "i2", locationId: "l1", available: 2, shopifyUpdatedAt: t(2) },
    ];
    expect(guardedUpdates(rows, ["inventoryItemId", "locationId"])).toEqual([
      {
        where: {
          inventoryItemId: "i1",
          locationId: "l1",
          OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lte: t(1) } }],
        },
        data: rows[0],
      },
      {
        where: {
          inventoryItemId: "i2",
          locationId: "l1",
          OR: [{ shopifyUpdatedAt: null }, { shopifyUpdatedAt: { lte: t(2) } }],
        },
        data: rows[1],
      },
    ]);
  });

  it("diffChildren finds the children Shopify no longer lists", () => {
    expect(diffChildren(["a", "b", "c"], [{ shopifyId: "a" }, { shopifyId: "d" }])).toEqual({
      upsert: [{ shopifyId: "a" }, { shopifyId: "d" }],
      removeIds: ["b", "c"],
    });
  });
});
