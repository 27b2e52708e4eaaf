// Locations and inventory levels through the real queries against the emulator; and a level through
// the emulator's inventory_levels/update body gives the same key and quantity.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { levelView } from "../../../tools/shopify-emulator/src/testing";
import { startEngineHarness, type EngineHarness } from "../../../tests/support/engine-emulator";
import { fromBulkLine, inventoryLevelFromGraphql, locationFromGraphql } from "./from-graphql";
import { inventoryLevelFromWebhook, parseWebhookBody } from "./from-webhook";
import { parseGid } from "./ids";
import { INVENTORY_LEVELS_PAGE_QUERY, LOCATIONS_BULK_QUERY, LOCATIONS_PAGE_QUERY } from "~/admin-api/operations";

let h: EngineHarness;
beforeAll(async () => {
  h = await startEngineHarness({ seed: "engine-inventory", products: 5, maxVariants: 2, locations: 2, orders: 3 });
});
afterAll(() => h.close());

describe("inventoryLevelFromGraphql", () => {
  it("maps locations and their levels from the page queries", async () => {
    const data = await h.query<{ locations: { nodes: unknown[] } }>(LOCATIONS_PAGE_QUERY, { first: 10, after: null });
    const locations = data.locations.nodes.map(locationFromGraphql);
    expect(locations).toHaveLength(2);
    for (const location of locations) {
      expect(location).toMatchObject({
        shopifyId: expect.stringMatching(/^gid:\/\/shopify\/Location\/\d+$/),
        isActive: true,
        deletedAt: null,
      });
      const page = await h.query<{ location: { inventoryLevels: { nodes: unknown[] } } }>(INVENTORY_LEVELS_PAGE_QUERY, {
        locationId: location.shopifyId,
        first: 50,
        after: null,
        query: null,
      });
      const levels = page.location.inventoryLevels.nodes.map(inventoryLevelFromGraphql);
      expect(levels.length).toBeGreaterThan(0);
      for (const level of levels) {
        expect(level.locationId).toBe(location.shopifyId);
        expect(level.inventoryItemId).toMatch(/^gid:\/\/shopify\/InventoryItem\/\d{18}$/);
        expect(parseGid(level.shopifyId)?.params.get("inventory_item_id")).toBe(parseGid(level.inventoryItemId)?.id);
        expect(level.onHand).toBe(level.available + (level.committed ?? 0));
      }
    }
  });

  it("the bulk JSONL gives the same locations and levels, and the webhook the same key and quantity", async () => {
    const rows = (await h.bulk(LOCATIONS_BULK_QUERY)).map(fromBulkLine);
    const levels = rows.flatMap((r) => (r.kind === "inventoryLevel" ? [r.row] : []));
    expect(rows.filter((r) => r.kind === "location")).toHaveLength(2);
    expect(levels.length).toBeGreaterThan(5);
    for (const level of levels.slice(0, 6)) {
      const item = h.shop.variants.findIndex(
        (v, i) => v !== undefined && level.inventoryItemId.endsWith(`/${levelViewFor(i, 0)?.inventoryItemId}`),
      );
      const loc = h.shop.locations.findIndex(
        (l) => l !== undefined && level.locationId.endsWith(`/${levelViewFor(item, l.seq)?.locationId}`),
      );
      const view = levelViewFor(item, loc);
      if (!view) throw new Error(`no emulator level for ${level.shopifyId}`);
      const webhook = inventoryLevelFromWebhook(parseWebhookBody(h.webhookBody("inventory_levels/update", view)));
      // The webhook carries no on-hand or committed quantity (docs/decisions/0041).
      const { onHand: _onHand, committed: _committed, ...carried } = level;
      expect(webhook).toEqual(carried);
    }
  });
});

function levelViewFor(itemSeq: number, locIdx: number) {
  return itemSeq < 0 || locIdx < 0 ? undefined : levelView(h.shop, itemSeq, locIdx);
}
