// Control API (JSON over HTTP under /__emulator): what tests, the demo and the CLI use to set up shops
// and to act as merchants and customers do. Every store action emits the StoreChange Shopify would,
// so webhooks follow. Documented in tools/shopify-emulator/README.md.
import { randomBytes } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { z } from "zod";
import type { EmulatorContext } from "../context";
import { customerDataAccessOf, customerDataAccessSchema, setCustomerDataAccess } from "../customer-data";
import type { BulkRunner } from "../bulk-operations/runner";
import { FAULT_KEYS, type Faults, type FaultSettings } from "../faults";
import type { ShopRec } from "../state/model";
import { seedShop } from "../state/seed";
import { saveSnapshot } from "../state/snapshot";
import { seqFromAnyId, StoreError, type Store } from "../state/store";
import { bulkOperationView, levelView, orderView, productView, shopView, storeDump } from "../state/views";
import type { LeakyBuckets } from "../throttle";

export interface ControlOptions {
  ctx: EmulatorContext;
  store: Store;
  faults: Faults;
  buckets: LeakyBuckets;
  bulk: BulkRunner;
  snapshotFile?: string | null;
}

const plan = z.enum(["standard", "advanced", "plus"]);

const seedSchema = z
  .object({
    seed: z.union([z.string(), z.number()]).optional(),
    products: z.number().int().min(0).max(1_000_000).optional(),
    maxVariants: z.number().int().min(1).max(64).optional(),
    exactVariants: z.boolean().optional(),
    locations: z.number().int().min(0).max(64).optional(),
    orders: z.number().int().min(0).max(1_000_000).optional(),
    customers: z.number().int().min(1).optional(),
    from: z.string().datetime({ offset: true }).optional(),
    to: z.string().datetime({ offset: true }).optional(),
  })
  .strict();

const createShopSchema = z
  .object({
    shop: z.string().min(1),
    name: z.string().optional(),
    email: z.string().optional(),
    plan: plan.optional(),
    currencyCode: z.string().length(3).optional(),
    ianaTimezone: z.string().optional(),
    installed: z.boolean().optional(),
    scopes: z.array(z.string()).optional(),
    /** Registers this Admin API token for the shop (or pass `true` to get a generated one). */
    accessToken: z.union([z.string().min(1), z.literal(true)]).optional(),
    /** Seed the store; `true` = default parameters. */
    seed: z.union([seedSchema, z.literal(true)]).optional(),
    /** Drop an existing shop of that name first. */
    replace: z.boolean().optional(),
  })
  .strict();

const variantSchema = z.object({
  id: z.string().optional(),
  title: z.string().optional(),
  sku: z.string().nullable().optional(),
  barcode: z.string().nullable().optional(),
  price: z.union([z.string(), z.number()]).transform(String).optional(),
  compareAtPrice: z.union([z.string(), z.number()]).transform(String).nullable().optional(),
  options: z.array(z.string()).optional(),
  inventoryPolicy: z.enum(["DENY", "CONTINUE"]).optional(),
  taxable: z.boolean().optional(),
  tracked: z.boolean().optional(),
  available: z.number().int().optional(),
});

const productSchema = z.object({
  title: z.string().optional(),
  handle: z.string().optional(),
  vendor: z.string().optional(),
  productType: z.string().optional(),
  status: z.enum(["ACTIVE", "DRAFT", "ARCHIVED"]).optional(),
  tags: z.array(z.string()).optional(),
  descriptionHtml: z.string().optional(),
  options: z.array(z.object({ name: z.string(), values: z.array(z.string()) })).optional(),
  variants: z.array(variantSchema).optional(),
  removeVariantIds: z.array(z.string()).optional(),
});

const inventorySchema = z
  .object({
    inventoryItemId: z.string(),
    locationId: z.string(),
    available: z.number().int().optional(),
    delta: z.number().int().optional(),
  })
  .refine((b) => (b.available === undefined) !== (b.delta === undefined), "give exactly one of available or delta");

const orderSchema = z.object({
  lineItems: z
    .array(
      z.object({
        variantId: z.string(),
        quantity: z.number().int().positive(),
        price: z.union([z.string(), z.number()]).transform(String).optional(),
      }),
    )
    .min(1),
  customer: z
    .object({
      id: z.string().optional(),
      email: z.string().optional(),
      firstName: z.string().optional(),
      lastName: z.string().optional(),
      phone: z.string().optional(),
    })
    .optional(),
  email: z.string().optional(),
  phone: z.string().optional(),
  financialStatus: z.enum(["PENDING", "AUTHORIZED", "PAID", "PARTIALLY_PAID"]).optional(),
  discount: z.union([z.string(), z.number()]).transform(String).optional(),
  taxRate: z.number().min(0).max(1).optional(),
  shipping: z.union([z.string(), z.number()]).transform(String).optional(),
  tags: z.array(z.string()).optional(),
  note: z.string().nullable().optional(),
  test: z.boolean().optional(),
  locationId: z.string().optional(),
});

const faultSchema = z
  .object({
    shop: z.string().nullable().optional(),
    seed: z.union([z.string(), z.number()]).optional(),
    error5xxRate: z.number().min(0).max(1).optional(),
    // 5xx, or what Shopify answers for a frozen (402) or locked (423) shop.
    errorStatus: z
      .number()
      .int()
      .refine((status) => (status >= 500 && status <= 599) || status === 402 || status === 423, {
        message: "a 5xx status, 402 (frozen shop) or 423 (locked shop)",
      })
      .optional(),
    error429Rate: z.number().min(0).max(1).optional(),
    resetRate: z.number().min(0).max(1).optional(),
    latencyMs: z.number().min(0).optional(),
    latencyJitterMs: z.number().min(0).optional(),
    throttledRate: z.number().min(0).max(1).optional(),
    expiredBulkUrls: z.boolean().optional(),
    bulkFailRate: z.number().min(0).max(1).optional(),
    bulkErrorCode: z.enum(["INTERNAL_SERVER_ERROR", "TIMEOUT", "ACCESS_DENIED"]).optional(),
  })
  .strict();

type ShopParams = { Params: { shop: string } };
type ShopIdParams = { Params: { shop: string; id: string } };

export const controlRoutes: FastifyPluginAsync<ControlOptions> = async (fastify, o) => {
  const { store } = o;

  fastify.setErrorHandler((error, _request, reply: FastifyReply) => {
    if (error instanceof z.ZodError) return reply.code(400).send({ error: "invalid request", issues: error.issues });
    if (error instanceof StoreError) return reply.code(error.status).send({ error: error.message });
    return reply.send(error);
  });

  const shopOf = (domain: string): ShopRec => store.requireShop(domain);
  const seq = (s: ShopRec, kind: Parameters<typeof seqFromAnyId>[1], id: string): number => {
    const n = seqFromAnyId(s, kind, decodeURIComponent(id));
    if (n === undefined) throw new StoreError(`unknown ${kind} ${id}`, 404);
    return n;
  };
  const counts = (s: ShopRec) => ({
    products: s.products.reduce((n, p) => n + (p ? 1 : 0), 0),
    variants: s.variants.reduce((n, v) => n + (v ? 1 : 0), 0),
    locations: s.locations.length,
    orders: s.orders.reduce((n, x) => n + (x ? 1 : 0), 0),
    customers: s.customers.length,
  });

  fastify.get("/__emulator/health", async () => ({ ok: true, shops: store.shops.size, origin: o.ctx.origin() }));

  fastify.get("/__emulator/shops", async () => ({
    shops: [...store.shops.values()].map((s) => ({ ...shopView(s), counts: counts(s) })),
  }));

  fastify.post("/__emulator/shops", async (request, reply) => {
    const b = createShopSchema.parse(request.body ?? {});
    if (b.replace) store.deleteShop(b.shop);
    const started = Date.now();
    const s = store.createShop({
      domain: b.shop,
      ...(b.name !== undefined && { name: b.name }),
      ...(b.email !== undefined && { email: b.email }),
      ...(b.plan !== undefined && { plan: b.plan }),
      ...(b.currencyCode !== undefined && { currencyCode: b.currencyCode }),
      ...(b.ianaTimezone !== undefined && { ianaTimezone: b.ianaTimezone }),
      ...(b.installed !== undefined && { installed: b.installed }),
      scopes: b.scopes ?? o.ctx.app.scopes,
    });
    if (b.seed) seedShop(store, s, b.seed === true ? {} : (b.seed as Parameters<typeof seedShop>[2]));
    let accessToken: string | undefined;
    if (b.accessToken) {
      accessToken = b.accessToken === true ? `shpat_${randomBytes(16).toString("hex")}` : b.accessToken;
      s.accessTokens.set(accessToken, s.installation.scopes);
    }
    return reply.code(201).send({
      shop: shopView(s),
      counts: counts(s),
      seedMs: Date.now() - started,
      ...(accessToken && { accessToken }),
    });
  });

  fastify.get<ShopParams>("/__emulator/shops/:shop", async (request) => {
    const s = shopOf(request.params.shop);
    return { shop: shopView(s), counts: counts(s) };
  });

  fastify.patch<ShopParams>("/__emulator/shops/:shop", async (request) => {
    const s = shopOf(request.params.shop);
    const b = z
      .object({
        name: z.string().optional(),
        email: z.string().optional(),
        plan: plan.optional(),
        currencyCode: z.string().length(3).optional(),
        ianaTimezone: z.string().optional(),
      })
      .strict()
      .parse(request.body ?? {});
    store.updateShop(s, b);
    return { shop: shopView(s) };
  });

  fastify.delete<ShopParams>("/__emulator/shops/:shop", async (request) => ({
    deleted: store.deleteShop(request.params.shop),
  }));

  fastify.get<ShopParams>("/__emulator/shops/:shop/store", async (request) => storeDump(shopOf(request.params.shop)));

  fastify.post<ShopParams>("/__emulator/shops/:shop/tokens", async (request) => {
    const s = shopOf(request.params.shop);
    const b = z
      .object({ token: z.string().min(1).optional(), scopes: z.array(z.string()).optional() })
      .parse(request.body ?? {});
    const token = b.token ?? `shpat_${randomBytes(16).toString("hex")}`;
    const scopes = b.scopes ?? s.installation.scopes;
    s.accessTokens.set(token, scopes);
    return { accessToken: token, scopes };
  });

  fastify.post<ShopParams>("/__emulator/shops/:shop/install", async (request) => {
    const s = shopOf(request.params.shop);
    const b = z.object({ scopes: z.array(z.string()).optional() }).parse(request.body ?? {});
    store.recordInstall(s, b.scopes ?? o.ctx.app.scopes);
    return { shop: shopView(s) };
  });

  // Protected customer data approval of the app on this shop (../customer-data.ts), as the Partner
  // Dashboard's review would grant it: {level: "none" | "level1" | "level2", fields: [name, email,
  // phone, address]} (fields count at level2 only).
  fastify.get<ShopParams>("/__emulator/shops/:shop/customer-data-access", async (request) =>
    customerDataAccessOf(shopOf(request.params.shop), o.ctx.app.apiKey),
  );
  fastify.put<ShopParams>("/__emulator/shops/:shop/customer-data-access", async (request) => {
    const s = shopOf(request.params.shop);
    setCustomerDataAccess(s, o.ctx.app.apiKey, customerDataAccessSchema.parse(request.body ?? {}));
    return customerDataAccessOf(s, o.ctx.app.apiKey);
  });

  fastify.post<ShopParams>("/__emulator/shops/:shop/uninstall", async (request) => {
    const s = shopOf(request.params.shop);
    store.uninstallApp(s);
    o.ctx.auth?.revokeShop(s.domain);
    return { shop: shopView(s) };
  });

  // ---- merchant activity ----
  fastify.post<ShopParams>("/__emulator/shops/:shop/products", async (request, reply) => {
    const s = shopOf(request.params.shop);
    const p = store.createProduct(s, productSchema.parse(request.body ?? {}));
    return reply.code(201).send(productView(s, p));
  });

  fastify.patch<ShopIdParams>("/__emulator/shops/:shop/products/:id", async (request) => {
    const s = shopOf(request.params.shop);
    const p = store.updateProduct(s, seq(s, "Product", request.params.id), productSchema.parse(request.body ?? {}));
    return productView(s, p);
  });

  fastify.delete<ShopIdParams>("/__emulator/shops/:shop/products/:id", async (request) => {
    const s = shopOf(request.params.shop);
    store.deleteProduct(s, seq(s, "Product", request.params.id));
    return { deleted: true };
  });

  fastify.post<ShopParams>("/__emulator/shops/:shop/inventory", async (request) => {
    const s = shopOf(request.params.shop);
    const b = inventorySchema.parse(request.body ?? {});
    const item = seq(s, "InventoryItem", b.inventoryItemId);
    const loc = seq(s, "Location", b.locationId);
    store.setInventory(s, item, loc, {
      ...(b.available !== undefined && { available: b.available }),
      ...(b.delta !== undefined && { delta: b.delta }),
    });
    return levelView(s, item, loc);
  });

  // ---- customer activity ----
  fastify.post<ShopParams>("/__emulator/shops/:shop/orders", async (request, reply) => {
    const s = shopOf(request.params.shop);
    const o2 = store.placeOrder(s, orderSchema.parse(request.body ?? {}));
    return reply.code(201).send(orderView(s, o2));
  });

  fastify.post<ShopIdParams>("/__emulator/shops/:shop/orders/:id/pay", async (request) => {
    const s = shopOf(request.params.shop);
    return orderView(s, store.payOrder(s, seq(s, "Order", request.params.id)));
  });

  fastify.post<ShopIdParams>("/__emulator/shops/:shop/orders/:id/cancel", async (request) => {
    const s = shopOf(request.params.shop);
    const b = z
      .object({
        reason: z.enum(["CUSTOMER", "DECLINED", "FRAUD", "INVENTORY", "OTHER", "STAFF"]).optional(),
        restock: z.boolean().optional(),
      })
      .parse(request.body ?? {});
    return orderView(s, store.cancelOrder(s, seq(s, "Order", request.params.id), b.reason, b.restock));
  });

  fastify.post<ShopIdParams>("/__emulator/shops/:shop/customers/:id/data-request", async (request) => {
    const s = shopOf(request.params.shop);
    store.requestCustomerData(s, seq(s, "Customer", request.params.id));
    return { ok: true };
  });

  fastify.post<ShopIdParams>("/__emulator/shops/:shop/customers/:id/redact", async (request) => {
    const s = shopOf(request.params.shop);
    store.redactCustomer(s, seq(s, "Customer", request.params.id));
    return { ok: true };
  });

  fastify.post<ShopParams>("/__emulator/shops/:shop/redact", async (request) => {
    store.redactShop(shopOf(request.params.shop));
    return { ok: true };
  });

  // ---- bulk operations ----
  fastify.get<ShopParams>("/__emulator/shops/:shop/bulk-operations", async (request) => {
    const s = shopOf(request.params.shop);
    return { bulkOperations: s.bulkOperations.flatMap((b) => (b ? [bulkOperationView(s, b)] : [])) };
  });

  fastify.post<ShopParams>("/__emulator/shops/:shop/bulk-operations/fail-next", async (request) => {
    const s = shopOf(request.params.shop);
    const b = z
      .object({ errorCode: z.enum(["INTERNAL_SERVER_ERROR", "TIMEOUT", "ACCESS_DENIED"]).optional() })
      .parse(request.body ?? {});
    o.bulk.failNextOperation(s.domain, b.errorCode);
    return { ok: true };
  });

  // ---- faults, throttle, snapshot ----
  fastify.get("/__emulator/faults", async () => o.faults.describe());

  fastify.post("/__emulator/faults", async (request) => {
    const { shop, seed, ...rest } = faultSchema.parse(request.body ?? {});
    if (seed !== undefined) o.faults.reseed(seed);
    const settings: FaultSettings = {};
    for (const k of FAULT_KEYS) if (rest[k] !== undefined) (settings as Record<string, unknown>)[k] = rest[k];
    o.faults.set(settings, shop ? store.requireShop(shop).domain : null);
    return o.faults.describe();
  });

  fastify.delete<{ Querystring: { shop?: string } }>("/__emulator/faults", async (request) => {
    o.faults.clear(request.query.shop ?? null);
    return o.faults.describe();
  });

  fastify.post("/__emulator/throttle/reset", async () => {
    o.buckets.reset();
    return { ok: true };
  });

  fastify.post("/__emulator/snapshot", async (request, reply) => {
    const b = z.object({ file: z.string().optional() }).parse(request.body ?? {});
    const file = b.file ?? o.snapshotFile;
    if (!file) return reply.code(400).send({ error: "no snapshot file: start with --snapshot FILE or pass {file}" });
    saveSnapshot(store, file);
    return { saved: file };
  });
};
