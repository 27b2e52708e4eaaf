// Id spaces. Shopify ids are 64-bit integers; several resource kinds (inventory items, inventory levels,
// orders, line items) are allocated above 2^53 on purpose, as in Shopify's own samples, so any code that
// runs an id through a JS `number` (JSON.parse, parseInt, Number()) corrupts it and tests notice.
//
// Records store only a small per-shop sequence number; the id is derived arithmetically
// (base + (shopNo * 2^24 + seq) * stride). That keeps 500,000 variants compact (no BigInt per record)
// and makes id → record lookups an O(1) division instead of a Map.

export type Kind =
  | "Product"
  | "ProductVariant"
  | "InventoryItem"
  | "InventoryLevel"
  | "Location"
  | "Order"
  | "LineItem"
  | "Customer"
  | "BulkOperation"
  | "WebhookSubscription"
  | "Shop"
  | "AppInstallation"
  | "ProductOption"
  | "MailingAddress";

const SHOP_SPAN = 1n << 24n; // sequence numbers per shop per kind

interface Space {
  base: bigint;
  stride: bigint;
}

// Bases are modelled on real captures: products ~1e13, variants ~5e13 (below 2^53, as Shopify's
// current ids are), inventory items/orders/line items from the webhook samples (~1e17, above 2^53).
// Inventory levels start at 2^53 + 1: the very first one is already not representable as a double.
const SPACES: Record<Kind, Space> = {
  Product: { base: 8_066_000_000_000n, stride: 32_768n },
  ProductVariant: { base: 45_000_000_000_000n, stride: 32_768n },
  InventoryItem: { base: 271_878_346_596_884_015n, stride: 65_537n },
  InventoryLevel: { base: 9_007_199_254_740_993n, stride: 64n }, // 64 location slots per item
  Location: { base: 24_826_418n, stride: 1_009n },
  Order: { base: 820_982_911_946_154_508n, stride: 4_099n },
  LineItem: { base: 487_817_672_276_298_554n, stride: 4_099n },
  Customer: { base: 7_000_000_000_000n, stride: 8_191n },
  BulkOperation: { base: 8_066_670_100_786n, stride: 98_304n },
  WebhookSubscription: { base: 1_000_000_000_000n, stride: 127n },
  Shop: { base: 60_000_000_000n, stride: 1n },
  AppInstallation: { base: 500_000_000_000n, stride: 1n },
  ProductOption: { base: 10_000_000_000_000n, stride: 16n },
  MailingAddress: { base: 9_000_000_000_000n, stride: 4n },
};

export const MAX_LOCATIONS = 64;

export function makeId(kind: Kind, shopNo: number, seq: number): bigint {
  const s = SPACES[kind];
  return s.base + (BigInt(shopNo) * SHOP_SPAN + BigInt(seq)) * s.stride;
}

/** Sequence number of `id` within `shopNo`, or undefined when the id belongs elsewhere. */
export function seqOf(kind: Kind, shopNo: number, id: bigint): number | undefined {
  const s = SPACES[kind];
  const off = id - s.base;
  if (off < 0n || off % s.stride !== 0n) return undefined;
  const n = off / s.stride;
  if (n / SHOP_SPAN !== BigInt(shopNo)) return undefined;
  return Number(n % SHOP_SPAN);
}

export function levelOf(shopNo: number, id: bigint): { itemSeq: number; locIdx: number } | undefined {
  // Level ids use stride 64 on a combined (item * 64 + location) sequence.
  const s = SPACES.InventoryLevel;
  const off = id - s.base;
  if (off < 0n || off % s.stride !== 0n) return undefined;
  const n = off / s.stride;
  const span = SHOP_SPAN * BigInt(MAX_LOCATIONS);
  if (n / span !== BigInt(shopNo)) return undefined;
  const combined = n % span;
  return { itemSeq: Number(combined / BigInt(MAX_LOCATIONS)), locIdx: Number(combined % BigInt(MAX_LOCATIONS)) };
}

export function levelId(shopNo: number, itemSeq: number, locIdx: number): bigint {
  const s = SPACES.InventoryLevel;
  const combined = BigInt(itemSeq) * BigInt(MAX_LOCATIONS) + BigInt(locIdx);
  return s.base + (BigInt(shopNo) * SHOP_SPAN * BigInt(MAX_LOCATIONS) + combined) * s.stride;
}

export function gid(kind: Kind, id: bigint | string): string {
  return `gid://shopify/${kind}/${id}`;
}

export interface ParsedGid {
  kind: string;
  id: bigint;
  params: URLSearchParams;
}

/** Parses `gid://shopify/Kind/123?x=y`; undefined when malformed. Ids are parsed as BigInt, never
 * through a double. */
export function parseGid(value: string): ParsedGid | undefined {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d{1,20})(?:\?(.*))?$/.exec(value);
  if (!m || !m[1] || !m[2]) return undefined;
  return { kind: m[1], id: BigInt(m[2]), params: new URLSearchParams(m[3] ?? "") };
}

/** Stable small number per shop domain, so a shop's ids do not depend on creation order. */
export function shopNumberFor(domain: string): number {
  let h = 2166136261;
  for (let i = 0; i < domain.length; i++) {
    h ^= domain.charCodeAt(i);
    h = Math.imul(h, 16777619);
  }
  return (h >>> 0) % 1000;
}
