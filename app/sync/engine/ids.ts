// Shopify ids. We store GID strings only: several id spaces (inventory items, orders, line items) are
// above 2^53, where a JS number silently rounds (271878346596884015 → 271878346596884000).

export type ResourceType =
  "Product" | "ProductVariant" | "InventoryItem" | "InventoryLevel" | "Location" | "Order" | "LineItem" | "Customer";

const GID = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/;

/** GID with its type fixed: matches exactly the values for which gidType(value) === type. */
export function gidPatternOf(type: ResourceType): RegExp {
  return new RegExp(`^gid://shopify/${type}/\\d+(?:\\?.*)?$`);
}

export function gid(type: ResourceType, numericId: string): string {
  if (!/^\d+$/.test(numericId)) throw new Error(`not a numeric Shopify id: ${JSON.stringify(numericId)}`);
  return `gid://shopify/${type}/${numericId}`;
}

export interface ParsedGid {
  type: string;
  id: string;
  params: URLSearchParams;
}

/**
 * The resource type of a GID ("Product"), or undefined for anything else. parseGid without building
 * its URLSearchParams: GIDs are checked several times per bulk line, and only the type is needed.
 */
export function gidType(value: string): string | undefined {
  const m = GID.exec(value);
  return m?.[1] && m[2] ? m[1] : undefined;
}

export function parseGid(value: string): ParsedGid | undefined {
  const m = GID.exec(value);
  if (!m?.[1] || !m[2]) return undefined;
  return { type: m[1], id: m[2], params: new URLSearchParams(m[3] ?? "") };
}

/**
 * The item of an InventoryLevel GID `gid://shopify/InventoryLevel/<n>?inventory_item_id=<item>`. Read
 * from the string because the payload's numeric `inventory_item_id` exceeds 2^53.
 */
export function inventoryItemIdFromLevelGid(levelGid: string): string {
  const parsed = parseGid(levelGid);
  const item = parsed?.params.get("inventory_item_id");
  if (parsed?.type !== "InventoryLevel" || !item || !/^\d+$/.test(item)) {
    throw new Error(`not an InventoryLevel GID with inventory_item_id: ${JSON.stringify(levelGid)}`);
  }
  return gid("InventoryItem", item);
}
