// The emulator's store: every shop's data, in memory, and the only code that changes it. Each change
// bumps `updatedAt` on what it touched and emits a StoreChange (topic named as Shopify names the
// webhook) on the shared event emitter; the webhook sender turns those into deliveries.
import { randomUUID } from "node:crypto";
import type { EventEmitter } from "node:events";
import type { Plan, StoreChange } from "../context";
import { makeId, MAX_LOCATIONS, seqOf as seqOfKind, shopNumberFor } from "./ids";
import type {
  AddressRec,
  BulkOperationRec,
  CancelReason,
  CustomerRec,
  FinancialStatus,
  LevelColumns,
  LineItemRec,
  LocationRec,
  OrderRec,
  ProductRec,
  ProductStatus,
  ShopRec,
  VariantRec,
  WebhookSubscriptionRec,
} from "./model";
import { parseMoney } from "./money";
import { bulkOperationView, customerView, levelView, orderView, productView, shopView } from "./views";

export class StoreError extends Error {
  constructor(
    message: string,
    readonly status = 422,
  ) {
    super(message);
  }
}

export interface ShopInput {
  domain: string;
  name?: string;
  email?: string;
  plan?: Plan;
  currencyCode?: string;
  ianaTimezone?: string;
  primaryDomain?: string;
  installed?: boolean;
  scopes?: string[];
  createdAt?: number;
}

export interface VariantInput {
  id?: string; // existing variant (updates only)
  title?: string;
  sku?: string | null;
  barcode?: string | null;
  price?: string;
  compareAtPrice?: string | null;
  options?: string[];
  inventoryPolicy?: "DENY" | "CONTINUE";
  taxable?: boolean;
  tracked?: boolean;
  /** Initial available quantity at every active location (creates only). */
  available?: number;
}

export interface ProductInput {
  title?: string;
  handle?: string;
  vendor?: string;
  productType?: string;
  status?: ProductStatus;
  tags?: string[];
  descriptionHtml?: string;
  options?: Array<{ name: string; values: string[] }>;
  variants?: VariantInput[];
  /** Variant ids to delete (updates only). */
  removeVariantIds?: string[];
}

export interface OrderInput {
  lineItems: Array<{ variantId: string; quantity: number; price?: string }>;
  customer?: { id?: string; email?: string; firstName?: string; lastName?: string; phone?: string };
  email?: string;
  phone?: string;
  financialStatus?: FinancialStatus;
  /** Whole-order discount, decimal string, spread over the lines. */
  discount?: string;
  /** Tax rate applied to discounted taxable lines, e.g. 0.08. */
  taxRate?: number;
  shipping?: string;
  tags?: string[];
  note?: string | null;
  test?: boolean;
  /** Location whose stock is committed; defaults to the first active location. */
  locationId?: string;
}

export function slugify(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "") || "product"
  );
}

export function emptyLevels(): LevelColumns {
  return { available: [], committed: [], updatedAt: [], createdAt: [] };
}

export class Store {
  readonly shops = new Map<string, ShopRec>();

  constructor(
    private readonly events: EventEmitter,
    readonly now: () => number,
  ) {}

  // ---- shops ---------------------------------------------------------------------------------

  createShop(input: ShopInput): ShopRec {
    const domain = normalizeShopDomain(input.domain);
    if (this.shops.has(domain)) throw new StoreError(`shop ${domain} already exists`, 409);
    const now = input.createdAt ?? this.now();
    const handle = domain.replace(/\.myshopify\.com$/, "");
    const shop: ShopRec = {
      no: shopNumberFor(domain),
      domain,
      name: input.name ?? titleCase(handle.replace(/-/g, " ")),
      email: input.email ?? `owner@${handle}.example`,
      plan: input.plan ?? "standard",
      currencyCode: input.currencyCode ?? "USD",
      ianaTimezone: input.ianaTimezone ?? "America/New_York",
      primaryDomainHost: input.primaryDomain ?? domain,
      createdAt: now,
      updatedAt: now,
      installation: {
        installed: input.installed ?? true,
        scopes: input.scopes ?? [],
        installedAt: input.installed === false ? null : now,
        uninstalledAt: null,
      },
      accessTokens: new Map(),
      products: [],
      variants: [],
      locations: [],
      levels: [],
      customers: [],
      orders: [],
      webhookSubscriptions: [],
      bulkOperations: [],
      nextLineItemSeq: 0,
      nextOrderNumber: 1001,
      version: 0,
      cache: new Map(),
    };
    this.shops.set(domain, shop);
    return shop;
  }

  getShop(domain: string): ShopRec | undefined {
    return this.shops.get(normalizeShopDomain(domain));
  }

  requireShop(domain: string): ShopRec {
    const s = this.getShop(domain);
    if (!s) throw new StoreError(`unknown shop ${domain}`, 404);
    return s;
  }

  deleteShop(domain: string): boolean {
    return this.shops.delete(normalizeShopDomain(domain));
  }

  updateShop(s: ShopRec, patch: Partial<Pick<ShopRec, "name" | "email" | "plan" | "currencyCode" | "ianaTimezone">>) {
    Object.assign(s, stripUndefined(patch));
    this.touch(s);
  }

  /** Marks the app installed with `scopes` (token exchange / auth-code grant). Emits app/scopes_update
   * when an installed app's scopes change. */
  recordInstall(s: ShopRec, scopes: string[]): void {
    const prev = s.installation.scopes;
    const wasInstalled = s.installation.installed;
    s.installation = {
      installed: true,
      scopes: [...scopes],
      installedAt: wasInstalled ? s.installation.installedAt : this.now(),
      uninstalledAt: null,
    };
    this.touch(s);
    if (wasInstalled && !sameSet(prev, scopes)) {
      this.emit(s, "app/scopes_update", {
        id: String(makeId("AppInstallation", s.no, 0)),
        previous: prev,
        current: [...scopes],
        updatedAt: new Date(this.now()).toISOString(),
      });
    }
  }

  uninstallApp(s: ShopRec): void {
    if (!s.installation.installed) throw new StoreError("the app is not installed on this shop", 409);
    s.installation.installed = false;
    s.installation.uninstalledAt = this.now();
    s.accessTokens.clear();
    // Shopify drops shop-specific webhook subscriptions with the installation.
    s.webhookSubscriptions = [];
    this.touch(s);
    this.emit(s, "app/uninstalled", shopView(s));
  }

  requestCustomerData(s: ShopRec, customerSeq: number): void {
    const c = this.requireCustomer(s, customerSeq);
    const cv = customerView(s, c);
    this.emit(s, "customers/data_request", {
      shopId: shopView(s).id,
      shopDomain: s.domain,
      customer: { id: cv.id, email: cv.email, phone: cv.phone },
      ordersRequested: this.ordersOf(s, customerSeq),
      dataRequest: { id: String(9_999_000 + s.version) },
    });
  }

  redactCustomer(s: ShopRec, customerSeq: number): void {
    const c = this.requireCustomer(s, customerSeq);
    const cv = customerView(s, c);
    this.emit(s, "customers/redact", {
      shopId: shopView(s).id,
      shopDomain: s.domain,
      customer: { id: cv.id, email: cv.email, phone: cv.phone },
      ordersToRedact: this.ordersOf(s, customerSeq),
    });
  }

  redactShop(s: ShopRec): void {
    this.emit(s, "shop/redact", { shopId: shopView(s).id, shopDomain: s.domain });
  }

  // ---- locations & inventory -----------------------------------------------------------------

  addLocation(s: ShopRec, input: { name: string; isActive?: boolean; address?: Partial<AddressRec> }, at?: number) {
    if (s.locations.length >= MAX_LOCATIONS) throw new StoreError(`at most ${MAX_LOCATIONS} locations`);
    const now = at ?? this.now();
    const loc: LocationRec = {
      __typename: "Location",
      seq: s.locations.length,
      name: input.name,
      isActive: input.isActive ?? true,
      fulfillsOnlineOrders: true,
      address: { ...blankAddress(), ...input.address },
      createdAt: now,
      updatedAt: now,
    };
    s.locations.push(loc);
    s.levels.push(emptyLevels());
    this.touch(s);
    return loc;
  }

  /** Sets (or adjusts by `delta`) the available quantity of one inventory level. */
  setInventory(s: ShopRec, itemSeq: number, locIdx: number, change: { available?: number; delta?: number }) {
    const v = s.variants[itemSeq];
    const col = s.levels[locIdx];
    if (!v) throw new StoreError("unknown inventory item", 404);
    if (!col) throw new StoreError("unknown location", 404);
    const now = this.now();
    const before = col.available[itemSeq];
    if (before === undefined) {
      // Stocking an item at a new location connects it, as inventoryActivate does.
      col.committed[itemSeq] = 0;
      col.createdAt[itemSeq] = now;
    }
    const next = change.available ?? (before ?? 0) + (change.delta ?? 0);
    col.available[itemSeq] = next;
    col.updatedAt[itemSeq] = now;
    v.itemUpdatedAt = now;
    this.touch(s);
    this.emit(s, "inventory_levels/update", levelView(s, itemSeq, locIdx));
  }

  // ---- products ------------------------------------------------------------------------------

  createProduct(s: ShopRec, input: ProductInput, opts: { silent?: boolean; at?: number } = {}): ProductRec {
    const now = opts.at ?? this.now();
    const title = input.title ?? "Untitled product";
    const seq = s.products.length;
    const options = input.options?.length
      ? input.options.map((o) => ({ name: o.name, values: [...o.values] }))
      : [{ name: "Title", values: ["Default Title"] }];
    const p: ProductRec = {
      __typename: "Product",
      seq,
      title,
      handle: input.handle ?? this.uniqueHandle(s, slugify(title)),
      vendor: input.vendor ?? s.name,
      productType: input.productType ?? "",
      status: input.status ?? "ACTIVE",
      tags: normalizeTags(input.tags ?? []),
      descriptionHtml: input.descriptionHtml ?? "",
      options,
      createdAt: now,
      updatedAt: now,
      publishedAt: (input.status ?? "ACTIVE") === "ACTIVE" ? now : null,
      variantSeqs: [],
    };
    s.products.push(p);
    const variants = input.variants?.length ? input.variants : [{}];
    for (const vi of variants) this.addVariant(s, p, vi, now);
    this.syncOptionValues(p, s);
    this.touch(s);
    if (!opts.silent) this.emit(s, "products/create", productView(s, p));
    return p;
  }

  updateProduct(s: ShopRec, seq: number, input: ProductInput): ProductRec {
    const p = this.requireProduct(s, seq);
    const now = this.now();
    if (input.title !== undefined) p.title = input.title;
    if (input.handle !== undefined) p.handle = input.handle;
    if (input.vendor !== undefined) p.vendor = input.vendor;
    if (input.productType !== undefined) p.productType = input.productType;
    if (input.descriptionHtml !== undefined) p.descriptionHtml = input.descriptionHtml;
    if (input.tags !== undefined) p.tags = normalizeTags(input.tags);
    if (input.status !== undefined) {
      p.status = input.status;
      if (input.status === "ACTIVE" && p.publishedAt == null) p.publishedAt = now;
      if (input.status !== "ACTIVE") p.publishedAt = null;
    }
    if (input.options !== undefined) p.options = input.options.map((o) => ({ name: o.name, values: [...o.values] }));
    for (const id of input.removeVariantIds ?? []) {
      const vs = this.variantSeqFromId(s, id);
      if (vs === undefined || !p.variantSeqs.includes(vs))
        throw new StoreError(`variant ${id} is not on this product`, 404);
      this.dropVariant(s, vs);
      p.variantSeqs = p.variantSeqs.filter((x) => x !== vs);
    }
    for (const vi of input.variants ?? []) {
      if (vi.id) {
        const vs = this.variantSeqFromId(s, vi.id);
        const v = vs === undefined ? undefined : s.variants[vs];
        if (!v || v.productSeq !== p.seq) throw new StoreError(`variant ${vi.id} is not on this product`, 404);
        applyVariantInput(v, vi);
        v.updatedAt = now;
      } else {
        this.addVariant(s, p, vi, now);
      }
    }
    p.variantSeqs.forEach((vs, i) => {
      const v = s.variants[vs];
      if (v) v.position = i + 1;
    });
    this.syncOptionValues(p, s);
    p.updatedAt = now;
    this.touch(s);
    this.emit(s, "products/update", productView(s, p));
    return p;
  }

  deleteProduct(s: ShopRec, seq: number): void {
    const p = this.requireProduct(s, seq);
    const before = productView(s, p);
    for (const vs of p.variantSeqs) this.dropVariant(s, vs);
    s.products[seq] = undefined;
    this.touch(s);
    this.emit(s, "products/delete", before);
  }

  // ---- orders --------------------------------------------------------------------------------

  placeOrder(s: ShopRec, input: OrderInput): OrderRec {
    if (!input.lineItems?.length) throw new StoreError("an order needs at least one line item");
    const now = this.now();
    const locIdx =
      input.locationId !== undefined
        ? this.locationSeqFromId(s, input.locationId)
        : s.locations.findIndex((l) => l.isActive);
    const customerSeq = input.customer ? this.upsertCustomer(s, input.customer, now) : null;
    const customer = customerSeq == null ? undefined : s.customers[customerSeq];
    const lines: Array<{ v: VariantRec; p: ProductRec; qty: number; unit: number }> = input.lineItems.map((li) => {
      const vs = this.variantSeqFromId(s, li.variantId);
      const v = vs === undefined ? undefined : s.variants[vs];
      const p = v ? s.products[v.productSeq] : undefined;
      if (!v || !p) throw new StoreError(`unknown variant ${li.variantId}`, 404);
      if (!Number.isInteger(li.quantity) || li.quantity < 1)
        throw new StoreError("quantity must be a positive integer");
      const unit = li.price !== undefined ? parseMoney(li.price) : v.priceCents;
      if (unit === undefined) throw new StoreError(`invalid price ${li.price}`);
      return { v, p, qty: li.quantity, unit };
    });
    const discount = input.discount !== undefined ? parseMoney(input.discount) : 0;
    if (discount === undefined) throw new StoreError(`invalid discount ${input.discount}`);
    const order = buildOrder({
      seq: s.orders.length,
      number: s.nextOrderNumber++,
      lineSeqStart: s.nextLineItemSeq,
      lines,
      discountCents: discount,
      taxRate: input.taxRate ?? 0.08,
      shippingCents: input.shipping !== undefined ? (parseMoney(input.shipping) ?? 0) : 0,
      at: now,
      financialStatus: input.financialStatus ?? "PAID",
      email: input.email ?? customer?.email ?? null,
      phone: input.phone ?? customer?.phone ?? null,
      customerSeq,
      address: customer ? addressFor(customer) : null,
      tags: input.tags ?? [],
      note: input.note ?? null,
      test: input.test ?? false,
    });
    s.nextLineItemSeq += order.lineItems.length;
    s.orders.push(order);
    this.touch(s);
    this.emit(s, "orders/create", orderView(s, order));
    if (order.financialStatus === "PAID") this.emit(s, "orders/paid", orderView(s, order));
    // Placing an order commits stock at the fulfilling location, as checkout does.
    if (locIdx >= 0) {
      for (const li of order.lineItems) {
        if (li.variantSeq == null) continue;
        const v = s.variants[li.variantSeq];
        const col = s.levels[locIdx];
        if (!v?.tracked || !col || col.available[li.variantSeq] === undefined) continue;
        col.available[li.variantSeq] = (col.available[li.variantSeq] ?? 0) - li.quantity;
        col.committed[li.variantSeq] = (col.committed[li.variantSeq] ?? 0) + li.quantity;
        col.updatedAt[li.variantSeq] = now;
        v.itemUpdatedAt = now;
        this.emit(s, "inventory_levels/update", levelView(s, li.variantSeq, locIdx));
      }
    }
    return order;
  }

  payOrder(s: ShopRec, seq: number): OrderRec {
    const o = this.requireOrder(s, seq);
    if (o.cancelledAt != null) throw new StoreError("a cancelled order cannot be paid");
    if (o.financialStatus === "PAID") throw new StoreError("the order is already paid");
    o.financialStatus = "PAID";
    o.receivedCents = o.totalCents;
    o.updatedAt = this.now();
    this.touch(s);
    this.emit(s, "orders/paid", orderView(s, o));
    this.emit(s, "orders/updated", orderView(s, o));
    return o;
  }

  cancelOrder(s: ShopRec, seq: number, reason: CancelReason = "CUSTOMER", restock = true): OrderRec {
    const o = this.requireOrder(s, seq);
    if (o.cancelledAt != null) throw new StoreError("the order is already cancelled");
    const now = this.now();
    o.cancelledAt = now;
    o.closedAt = now;
    o.cancelReason = reason;
    o.financialStatus = o.receivedCents > 0 ? "REFUNDED" : "VOIDED";
    o.updatedAt = now;
    const restocked: Array<[number, number]> = [];
    if (restock && o.fulfillmentStatus !== "FULFILLED") {
      const locIdx = s.locations.findIndex((l) => l.isActive);
      const col = s.levels[locIdx];
      for (const li of o.lineItems) {
        if (li.variantSeq != null && col && col.available[li.variantSeq] !== undefined) {
          col.available[li.variantSeq] = (col.available[li.variantSeq] ?? 0) + li.currentQuantity;
          col.committed[li.variantSeq] = Math.max(0, (col.committed[li.variantSeq] ?? 0) - li.currentQuantity);
          col.updatedAt[li.variantSeq] = now;
          restocked.push([li.variantSeq, locIdx]);
        }
        li.currentQuantity = 0;
      }
    } else {
      for (const li of o.lineItems) li.currentQuantity = 0;
    }
    this.touch(s);
    this.emit(s, "orders/cancelled", orderView(s, o));
    this.emit(s, "orders/updated", orderView(s, o));
    for (const [item, loc] of restocked) this.emit(s, "inventory_levels/update", levelView(s, item, loc));
    return o;
  }

  // ---- webhook subscriptions (Admin API) -------------------------------------------------------

  createWebhookSubscription(
    s: ShopRec,
    input: Omit<WebhookSubscriptionRec, "__typename" | "seq" | "createdAt" | "updatedAt">,
  ): WebhookSubscriptionRec {
    const now = this.now();
    const rec: WebhookSubscriptionRec = {
      __typename: "WebhookSubscription",
      seq: s.webhookSubscriptions.length,
      ...input,
      createdAt: now,
      updatedAt: now,
    };
    s.webhookSubscriptions.push(rec);
    this.touch(s);
    return rec;
  }

  deleteWebhookSubscription(s: ShopRec, seq: number): boolean {
    if (!s.webhookSubscriptions[seq]) return false;
    s.webhookSubscriptions[seq] = undefined;
    this.touch(s);
    return true;
  }

  // ---- bulk operations (state only; bulk-operations/ runs them) ---------------------------------

  addBulkOperation(s: ShopRec, rec: Omit<BulkOperationRec, "seq" | "__typename">): BulkOperationRec {
    const op: BulkOperationRec = { __typename: "BulkOperation", seq: s.bulkOperations.length, ...rec };
    s.bulkOperations.push(op);
    return op;
  }

  finishBulkOperation(s: ShopRec, op: BulkOperationRec): void {
    this.emit(s, "bulk_operations/finish", bulkOperationView(s, op));
  }

  // ---- helpers -------------------------------------------------------------------------------

  /** Memoises `compute` until the shop next changes (sorted id lists for pagination). */
  cached<T>(s: ShopRec, key: string, compute: () => T): T {
    const hit = s.cache.get(key);
    if (hit && hit.version === s.version) return hit.value as T;
    const value = compute();
    s.cache.set(key, { version: s.version, value });
    return value;
  }

  touch(s: ShopRec): void {
    s.version++;
    s.updatedAt = this.now();
  }

  emit(s: ShopRec, topic: string, resource: unknown): void {
    const change: StoreChange = {
      shop: s.domain,
      topic,
      resource,
      triggeredAt: new Date(this.now()),
      eventId: randomUUID(),
    };
    this.events.emit("change", change);
  }

  requireProduct(s: ShopRec, seq: number): ProductRec {
    const p = s.products[seq];
    if (!p) throw new StoreError("unknown product", 404);
    return p;
  }

  requireOrder(s: ShopRec, seq: number): OrderRec {
    const o = s.orders[seq];
    if (!o) throw new StoreError("unknown order", 404);
    return o;
  }

  requireCustomer(s: ShopRec, seq: number): CustomerRec {
    const c = s.customers[seq];
    if (!c) throw new StoreError("unknown customer", 404);
    return c;
  }

  variantSeqFromId(s: ShopRec, id: string): number | undefined {
    return seqFromAnyId(s, "ProductVariant", id);
  }

  locationSeqFromId(s: ShopRec, id: string): number {
    const seq = seqFromAnyId(s, "Location", id);
    if (seq === undefined || !s.locations[seq]) throw new StoreError(`unknown location ${id}`, 404);
    return seq;
  }

  private ordersOf(s: ShopRec, customerSeq: number): string[] {
    return s.orders.flatMap((o) => (o && o.customerSeq === customerSeq ? [String(makeId("Order", s.no, o.seq))] : []));
  }

  private upsertCustomer(s: ShopRec, c: NonNullable<OrderInput["customer"]>, now: number): number {
    if (c.id) {
      const seq = seqFromAnyId(s, "Customer", c.id);
      if (seq === undefined || !s.customers[seq]) throw new StoreError(`unknown customer ${c.id}`, 404);
      return seq;
    }
    const existing = c.email ? s.customers.find((x) => x?.email === c.email) : undefined;
    if (existing) return existing.seq;
    const rec: CustomerRec = {
      __typename: "Customer",
      seq: s.customers.length,
      firstName: c.firstName ?? null,
      lastName: c.lastName ?? null,
      email: c.email ?? null,
      phone: c.phone ?? null,
      createdAt: now,
      updatedAt: now,
    };
    s.customers.push(rec);
    return rec.seq;
  }

  private addVariant(s: ShopRec, p: ProductRec, vi: VariantInput, now: number): VariantRec {
    const seq = s.variants.length;
    const values = vi.options ?? p.options.map((o) => o.values[p.variantSeqs.length] ?? o.values[0] ?? "Default Title");
    const price = vi.price !== undefined ? parseMoney(vi.price) : 0;
    if (price === undefined) throw new StoreError(`invalid price ${vi.price}`);
    const v: VariantRec = {
      __typename: "ProductVariant",
      seq,
      productSeq: p.seq,
      title: vi.title ?? values.join(" / "),
      sku: vi.sku ?? null,
      barcode: vi.barcode ?? null,
      priceCents: price,
      compareAtPriceCents: vi.compareAtPrice != null ? (parseMoney(vi.compareAtPrice) ?? null) : null,
      position: p.variantSeqs.length + 1,
      inventoryPolicy: vi.inventoryPolicy ?? "DENY",
      optionValues: values,
      taxable: vi.taxable ?? true,
      createdAt: now,
      updatedAt: now,
      tracked: vi.tracked ?? true,
      itemUpdatedAt: now,
    };
    s.variants.push(v);
    p.variantSeqs.push(seq);
    s.locations.forEach((loc, li) => {
      if (!loc.isActive) return;
      const col = s.levels[li]!;
      col.available[seq] = vi.available ?? 0;
      col.committed[seq] = 0;
      col.updatedAt[seq] = now;
      col.createdAt[seq] = now;
    });
    return v;
  }

  private dropVariant(s: ShopRec, vs: number): void {
    s.variants[vs] = undefined;
    for (const col of s.levels) {
      // `delete` keeps the arrays' other slots; levels of a deleted item disappear with it.
      delete col.available[vs];
      delete col.committed[vs];
      delete col.updatedAt[vs];
      delete col.createdAt[vs];
    }
  }

  /** Keeps product.options' value lists equal to what the variants use (Shopify does the same). */
  private syncOptionValues(p: ProductRec, s: ShopRec): void {
    p.options.forEach((o, i) => {
      const used: string[] = [];
      for (const vs of p.variantSeqs) {
        const val = s.variants[vs]?.optionValues[i];
        if (val !== undefined && !used.includes(val)) used.push(val);
      }
      if (used.length) o.values = used;
    });
  }

  private uniqueHandle(s: ShopRec, base: string): string {
    // A linear scan is fine for control-API creates; the seed generator passes handles itself.
    let h = base;
    let n = 1;
    const taken = new Set(s.products.map((p) => p?.handle));
    while (taken.has(h)) h = `${base}-${n++}`;
    return h;
  }
}

// ---- pure helpers shared with the seed generator ---------------------------------------------

export function buildOrder(a: {
  seq: number;
  number: number;
  lineSeqStart: number;
  lines: Array<{ v: VariantRec; p: ProductRec; qty: number; unit: number }>;
  discountCents: number;
  taxRate: number;
  shippingCents: number;
  at: number;
  financialStatus: FinancialStatus;
  email: string | null;
  phone: string | null;
  customerSeq: number | null;
  address: AddressRec | null;
  tags: string[];
  note: string | null;
  test: boolean;
}): OrderRec {
  const gross = a.lines.map((l) => l.unit * l.qty);
  const lineItemsCents = gross.reduce((x, y) => x + y, 0);
  const discountCents = Math.min(a.discountCents, lineItemsCents);
  // Spread the discount proportionally; the last line takes the rounding remainder so the parts sum
  // exactly to the order's discount.
  let left = discountCents;
  const lineItems: LineItemRec[] = a.lines.map((l, i) => {
    const g = gross[i] ?? 0;
    const d = i === a.lines.length - 1 ? left : Math.floor((discountCents * g) / Math.max(1, lineItemsCents));
    left -= d;
    const tax = l.v.taxable ? Math.round((g - d) * a.taxRate) : 0;
    return {
      __typename: "LineItem",
      seq: a.lineSeqStart + i,
      title: l.p.title,
      variantTitle: l.v.title === "Default Title" ? null : l.v.title,
      sku: l.v.sku,
      vendor: l.p.vendor,
      quantity: l.qty,
      currentQuantity: l.qty,
      unitPriceCents: l.unit,
      discountCents: d,
      taxCents: tax,
      productSeq: l.p.seq,
      variantSeq: l.v.seq,
      taxable: l.v.taxable,
      requiresShipping: true,
    };
  });
  const taxCents = lineItems.reduce((x, li) => x + li.taxCents, 0);
  const totalCents = lineItemsCents - discountCents + a.shippingCents + taxCents;
  const paid = a.financialStatus === "PAID";
  return {
    __typename: "Order",
    seq: a.seq,
    number: a.number,
    email: a.email,
    phone: a.phone,
    customerSeq: a.customerSeq,
    billingAddress: a.address,
    shippingAddress: a.address,
    createdAt: a.at,
    updatedAt: a.at,
    processedAt: a.at,
    cancelledAt: null,
    cancelReason: null,
    closedAt: null,
    financialStatus: a.financialStatus,
    fulfillmentStatus: "UNFULFILLED",
    test: a.test,
    tags: a.tags,
    note: a.note,
    lineItems,
    lineItemsCents,
    discountCents,
    shippingCents: a.shippingCents,
    taxCents,
    totalCents,
    receivedCents: paid ? totalCents : 0,
  };
}

export function addressFor(c: CustomerRec): AddressRec {
  return {
    ...blankAddress(),
    firstName: c.firstName,
    lastName: c.lastName,
    address1: `${100 + (c.seq % 900)} Main Street`,
    city: "Ottawa",
    province: "Ontario",
    provinceCode: "ON",
    country: "Canada",
    countryCode: "CA",
    zip: "K2P 1L4",
    phone: c.phone,
  };
}

export function blankAddress(): AddressRec {
  return {
    firstName: null,
    lastName: null,
    company: null,
    address1: null,
    address2: null,
    city: null,
    province: null,
    provinceCode: null,
    country: null,
    countryCode: null,
    zip: null,
    phone: null,
  };
}

function applyVariantInput(v: VariantRec, vi: VariantInput): void {
  if (vi.title !== undefined) v.title = vi.title;
  if (vi.sku !== undefined) v.sku = vi.sku;
  if (vi.barcode !== undefined) v.barcode = vi.barcode;
  if (vi.price !== undefined) {
    const c = parseMoney(vi.price);
    if (c === undefined) throw new StoreError(`invalid price ${vi.price}`);
    v.priceCents = c;
  }
  if (vi.compareAtPrice !== undefined)
    v.compareAtPriceCents = vi.compareAtPrice == null ? null : (parseMoney(vi.compareAtPrice) ?? null);
  if (vi.options !== undefined) v.optionValues = [...vi.options];
  if (vi.inventoryPolicy !== undefined) v.inventoryPolicy = vi.inventoryPolicy;
  if (vi.taxable !== undefined) v.taxable = vi.taxable;
  if (vi.tracked !== undefined) v.tracked = vi.tracked;
}

/** Accepts a GID or a bare numeric id (as string) and maps it to the shop's sequence number. */
export function seqFromAnyId(
  s: ShopRec,
  kind: "ProductVariant" | "Product" | "Location" | "Customer" | "Order" | "InventoryItem",
  id: string,
): number | undefined {
  const m = /^(?:gid:\/\/shopify\/([A-Za-z]+)\/)?(\d{1,20})$/.exec(String(id));
  if (!m || !m[2] || (m[1] && m[1] !== kind)) return undefined;
  return seqOfKind(kind, s.no, BigInt(m[2]));
}

export function normalizeShopDomain(domain: string): string {
  const d = domain
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, "")
    .replace(/\/.*$/, "");
  return d.includes(".") ? d : `${d}.myshopify.com`;
}

function normalizeTags(tags: string[]): string[] {
  // Shopify returns tags de-duplicated and sorted.
  return [...new Set(tags.map((t) => t.trim()).filter(Boolean))].sort((a, b) => a.localeCompare(b));
}

function titleCase(s: string): string {
  return s.replace(/\b\w/g, (c) => c.toUpperCase());
}

function sameSet(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
