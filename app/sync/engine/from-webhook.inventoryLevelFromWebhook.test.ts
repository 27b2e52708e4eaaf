import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { inventoryLevelFromWebhook, parseWebhookBody } from "./from-webhook";

const raw = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/inventory_levels_update.json", "utf8");

describe("inventoryLevelFromWebhook", () => {
  it("maps Shopify's sample with the item id exact", () => {
    expect(inventoryLevelFromWebhook(parseWebhookBody(raw))).toEqual({
      inventoryItemId: "gid://shopify/InventoryItem/271878346596884015",
      locationId: "gid://shopify/Location/24826418",
      shopifyId: "gid://shopify/InventoryLevel/24826418?inventory_item_id=271878346596884015",
      available: 10,
      shopifyUpdatedAt: new Date("2022-01-01T00:00:00Z"),
    });
  });

  it("takes the item from the GID string, and refuses a body whose number was rounded by JSON.parse", () => {
    const { inventory_item_id: _rounded, ...rest } = JSON.parse(raw) as Record<string, unknown>;
    expect(inventoryLevelFromWebhook(rest).inventoryItemId).toBe("gid://shopify/InventoryItem/271878346596884015");
    expect(() => inventoryLevelFromWebhook(JSON.parse(raw))).toThrow(/inventory_item_id: id is above 2\^53/);
  });

  it("takes the location from location_id, not from the GID path (a level id in real payloads)", () => {
    const payload = {
      inventory_item_id: "9007199254740993",
      location_id: 24826418,
      available: -3,
      updated_at: "2026-01-15T12:00:00+00:00",
      admin_graphql_api_id: "gid://shopify/InventoryLevel/9007199254741057?inventory_item_id=9007199254740993",
    };
    expect(inventoryLevelFromWebhook(payload)).toMatchObject({
      inventoryItemId: "gid://shopify/InventoryItem/9007199254740993",
      locationId: "gid://shopify/Location/24826418",
      available: -3,
    });
    expect(() => inventoryLevelFromWebhook({ ...payload, inventory_item_id: "1" })).toThrow(/disagrees/);
    expect(() =>
      inventoryLevelFromWebhook({ ...payload, admin_graphql_api_id: "gid://shopify/InventoryLevel/5" }),
    ).toThrow(/inventory_item_id/);
  });
});
