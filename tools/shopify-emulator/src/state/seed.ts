// Deterministic store generator: the same parameters always give the same shop (same ids, titles,
// prices, stock and orders), so tests and benchmarks can compare runs. It writes records directly
// (no events, no per-record lookups) because 100,000 products × 5 variants must seed in seconds.
import type { Plan } from "../context";
import type { CustomerRec, FinancialStatus, ProductRec, ShopRec, VariantRec } from "./model";
import { addressFor, blankAddress, buildOrder, type Store } from "./store";

export interface SeedParams {
  seed?: string | number;
  products?: number;
  /** Each product gets 1..maxVariants variants. */
  maxVariants?: number;
  /** When true every product gets exactly maxVariants variants (benchmarks). */
  exactVariants?: boolean;
  locations?: number;
  orders?: number;
  customers?: number;
  /** Range that createdAt/updatedAt/processedAt fall in (ISO-8601). */
  from?: string;
  to?: string;
  plan?: Plan;
  currencyCode?: string;
}

export const DEFAULT_SEED: Required<Omit<SeedParams, "plan" | "currencyCode" | "customers">> = {
  seed: 1,
  products: 25,
  maxVariants: 3,
  exactVariants: false,
  locations: 2,
  orders: 20,
  from: "2025-01-01T00:00:00Z",
  to: "2025-12-31T23:59:59Z",
};

/** sfc32: small, fast, well-distributed; seeded from a string hash. */
export function rngFor(seed: string | number): () => number {
  let h = 1779033703 ^ String(seed).length;
  const str = String(seed);
  for (let i = 0; i < str.length; i++) {
    h = Math.imul(h ^ str.charCodeAt(i), 3432918353);
    h = (h << 13) | (h >>> 19);
  }
  let a = h >>> 0,
    b = Math.imul(h, 0x9e3779b1) >>> 0,
    c = Math.imul(h ^ 0x85ebca6b, 0xc2b2ae35) >>> 0,
    d = 0x27d4eb2f;
  return () => {
    a >>>= 0;
    b >>>= 0;
    c >>>= 0;
    d >>>= 0;
    const t = (a + b) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    d = (d + 1) | 0;
    const r = (t + d) | 0;
    c = (c + r) | 0;
    return (r >>> 0) / 4294967296;
  };
}

const ADJECTIVES = [
  "Classic",
  "Organic",
  "Vintage",
  "Modern",
  "Rustic",
  "Sleek",
  "Cozy",
  "Bold",
  "Essential",
  "Premium",
  "Handmade",
  "Lightweight",
  "Waterproof",
  "Recycled",
  "Heritage",
];
const NOUNS = [
  "T-Shirt",
  "Hoodie",
  "Sneaker",
  "Backpack",
  "Mug",
  "Candle",
  "Snowboard",
  "Water Bottle",
  "Notebook",
  "Scarf",
  "Cap",
  "Jacket",
  "Sunglasses",
  "Wallet",
  "Blanket",
  "Lamp",
];
const VENDORS = ["Acme", "Northwind", "Globex", "Initech", "Umbrella Goods", "Stark Supply", "Wayne Outfitters"];
const TYPES = ["Shirts", "Accessories", "Footwear", "Home", "Outdoor", "Stationery"];
const TAGS = ["summer", "winter", "sale", "new", "bestseller", "eco", "limited", "gift"];
const SIZES = ["XS", "S", "M", "L", "XL", "XXL", "3XL", "4XL"];
const COLORS = ["Black", "White", "Red", "Blue", "Green", "Grey", "Navy", "Olive"];
const FIRST = [
  "Ada",
  "Grace",
  "Alan",
  "Linus",
  "Margaret",
  "Ken",
  "Barbara",
  "Dennis",
  "Frances",
  "John",
  "Radia",
  "Tim",
];
const LAST = [
  "Lovelace",
  "Hopper",
  "Turing",
  "Torvalds",
  "Hamilton",
  "Thompson",
  "Liskov",
  "Ritchie",
  "Allen",
  "McCarthy",
  "Perlman",
  "Berners-Lee",
];
const CITIES: Array<[string, string, string, string, string]> = [
  ["Ottawa", "Ontario", "ON", "Canada", "CA"],
  ["Montreal", "Quebec", "QC", "Canada", "CA"],
  ["New York", "New York", "NY", "United States", "US"],
  ["Austin", "Texas", "TX", "United States", "US"],
  ["Berlin", "Berlin", "BE", "Germany", "DE"],
];

/** Fills `shop` (assumed empty) from `params`. Returns counts. */
export function seedShop(store: Store, shop: ShopRec, params: SeedParams = {}) {
  const p = { ...DEFAULT_SEED, ...params };
  const rnd = rngFor(`${p.seed}:${shop.domain}`);
  const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const from = Date.parse(p.from);
  const to = Date.parse(p.to);
  if (!(to > from)) throw new Error("seed: `to` must be after `from`");
  const span = to - from;
  // Whole seconds, as Shopify's timestamps are.
  const at = (lo: number, hi: number) => Math.floor((lo + rnd() * (hi - lo)) / 1000) * 1000;

  if (params.plan) shop.plan = params.plan;
  if (params.currencyCode) shop.currencyCode = params.currencyCode;

  for (let i = 0; i < p.locations; i++) {
    const c = CITIES[i % CITIES.length]!;
    store.addLocation(
      shop,
      {
        name: i === 0 ? "Shop location" : `${c[0]} warehouse`,
        address: {
          address1: `${10 + i} Commerce Way`,
          city: c[0],
          province: c[1],
          provinceCode: c[2],
          country: c[3],
          countryCode: c[4],
          zip: `${10000 + i}`,
        },
      },
      from,
    );
  }
  const nLoc = shop.locations.length;

  const products = shop.products;
  const variants = shop.variants;
  for (let i = 0; i < p.products; i++) {
    const seq = products.length;
    const title = `${pick(ADJECTIVES)} ${pick(NOUNS)} ${seq + 1}`;
    const createdAt = at(from, to);
    const updatedAt = at(createdAt, to);
    const r = rnd();
    const status = r < 0.85 ? "ACTIVE" : r < 0.95 ? "DRAFT" : "ARCHIVED";
    const nVar = p.exactVariants ? p.maxVariants : int(1, Math.max(1, p.maxVariants));
    const tagCount = int(0, 3);
    const tags: string[] = [];
    for (let t = 0; t < tagCount; t++) {
      const tag = pick(TAGS);
      if (!tags.includes(tag)) tags.push(tag);
    }
    tags.sort();
    let optionNames: string[];
    let combos: string[][];
    if (nVar === 1) {
      optionNames = ["Title"];
      combos = [["Default Title"]];
    } else if (nVar <= SIZES.length) {
      optionNames = ["Size"];
      combos = SIZES.slice(0, nVar).map((s) => [s]);
    } else {
      optionNames = ["Size", "Color"];
      combos = [];
      for (let c = 0; c < COLORS.length && combos.length < nVar; c++)
        for (let s = 0; s < SIZES.length && combos.length < nVar; s++) combos.push([SIZES[s]!, COLORS[c]!]);
    }
    const prod: ProductRec = {
      __typename: "Product",
      seq,
      title,
      handle: `${title.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
      vendor: pick(VENDORS),
      productType: pick(TYPES),
      status,
      tags,
      descriptionHtml: `<p>${title}: generated by the Shop Sync emulator.</p>`,
      options: optionNames.map((name, oi) => ({ name, values: [...new Set(combos.map((c) => c[oi]!))] })),
      createdAt,
      updatedAt,
      publishedAt: status === "ACTIVE" ? createdAt : null,
      variantSeqs: [],
    };
    const basePrice = int(5, 200) * 100 - 1;
    for (let v = 0; v < combos.length; v++) {
      const vseq = variants.length;
      const combo = combos[v]!;
      const hasCompare = rnd() < 0.3;
      const rec: VariantRec = {
        __typename: "ProductVariant",
        seq: vseq,
        productSeq: seq,
        title: combo.join(" / "),
        sku: rnd() < 0.95 ? `SKU-${seq + 1}-${v + 1}` : null,
        barcode: rnd() < 0.5 ? String(400000000000 + vseq) : null,
        priceCents: basePrice + v * 100,
        compareAtPriceCents: hasCompare ? Math.round((basePrice + v * 100) * 1.25) : null,
        position: v + 1,
        inventoryPolicy: rnd() < 0.9 ? "DENY" : "CONTINUE",
        optionValues: combo,
        taxable: rnd() < 0.9,
        createdAt,
        updatedAt: at(createdAt, updatedAt + 1),
        tracked: rnd() < 0.95,
        itemUpdatedAt: updatedAt,
      };
      variants.push(rec);
      prod.variantSeqs.push(vseq);
      for (let l = 0; l < nLoc; l++) {
        const col = shop.levels[l]!;
        col.available[vseq] = int(0, 100);
        col.committed[vseq] = 0;
        col.updatedAt[vseq] = updatedAt;
        col.createdAt[vseq] = createdAt;
      }
    }
    products.push(prod);
  }

  const nCustomers = params.customers ?? Math.max(1, Math.ceil(p.orders / 3));
  for (let i = 0; i < nCustomers && p.orders > 0; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const c: CustomerRec = {
      __typename: "Customer",
      seq: shop.customers.length,
      firstName: first,
      lastName: last,
      email: `${first}.${last}.${i + 1}@example.com`.toLowerCase(),
      phone: rnd() < 0.6 ? `+1613555${String(1000 + (i % 9000)).padStart(4, "0")}` : null,
      createdAt: from,
      updatedAt: from,
    };
    shop.customers.push(c);
  }

  const live = variants.filter((v): v is VariantRec => v !== undefined);
  if (p.orders > 0 && live.length === 0) throw new Error("seed: orders need at least one product");
  // Orders are numbered in creation order, as Shopify numbers them.
  const times: number[] = [];
  for (let i = 0; i < p.orders; i++) times.push(at(from, to));
  times.sort((a, b) => a - b);
  for (let i = 0; i < p.orders; i++) {
    const createdAt = times[i]!;
    const nLines = int(1, 4);
    const lines = [];
    for (let l = 0; l < nLines; l++) {
      const v = live[Math.floor(rnd() * live.length)]!;
      lines.push({ v, p: products[v.productSeq]!, qty: int(1, 3), unit: v.priceCents });
    }
    const customer = shop.customers[Math.floor(rnd() * shop.customers.length)];
    const fr = rnd();
    const financialStatus: FinancialStatus =
      fr < 0.75 ? "PAID" : fr < 0.88 ? "PENDING" : fr < 0.95 ? "AUTHORIZED" : "PARTIALLY_PAID";
    const discounted = rnd() < 0.2;
    const lineTotal = lines.reduce((x, l) => x + l.unit * l.qty, 0);
    const order = buildOrder({
      seq: shop.orders.length,
      number: shop.nextOrderNumber++,
      lineSeqStart: shop.nextLineItemSeq,
      lines,
      discountCents: discounted ? Math.round(lineTotal * 0.1) : 0,
      taxRate: 0.08,
      shippingCents: 0,
      at: createdAt,
      financialStatus,
      email: customer?.email ?? null,
      phone: customer?.phone ?? null,
      customerSeq: customer?.seq ?? null,
      address: customer ? addressFor(customer) : blankAddress(),
      tags: rnd() < 0.2 ? ["wholesale"] : [],
      note: rnd() < 0.1 ? "Please gift wrap." : null,
      test: false,
    });
    if (financialStatus === "PARTIALLY_PAID") order.receivedCents = Math.floor(order.totalCents / 2);
    if (rnd() < 0.5) order.fulfillmentStatus = "FULFILLED";
    order.updatedAt = at(createdAt, Math.min(to, createdAt + span / 10) + 1);
    if (rnd() < 0.05) {
      order.cancelledAt = order.updatedAt;
      order.closedAt = order.updatedAt;
      order.cancelReason = "CUSTOMER";
      order.financialStatus = order.receivedCents > 0 ? "REFUNDED" : "VOIDED";
      for (const li of order.lineItems) li.currentQuantity = 0;
    }
    shop.nextLineItemSeq += order.lineItems.length;
    shop.orders.push(order);
  }
  store.touch(shop);
  return {
    products: products.length,
    variants: variants.length,
    locations: nLoc,
    inventoryLevels: variants.length * nLoc,
    customers: shop.customers.length,
    orders: shop.orders.length,
  };
}
