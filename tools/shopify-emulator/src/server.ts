// Assembles the emulator: one Fastify server, one shared context, every Shopify surface registered as
// a plugin. `startEmulator` is what main.ts, tests and the demo call (in-process or as a child process).
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import Fastify, { type FastifyInstance } from "fastify";
import { loadAdminSchema } from "../../admin-schema/admin-schema";
import { adminGraphQLRoutes, checkToken } from "./admin-graphql/routes";
import { loadAdminBlocks, type AdminBlockExtension } from "./admin-shell/admin-blocks";
import { adminShellRoutes } from "./admin-shell/routes";
import { bulkResultRoutes } from "./bulk-operations/routes";
import { BulkRunner } from "./bulk-operations/runner";
import { BULK_URL_TTL_SECONDS } from "./bulk-operations/signed-url";
import { systemClock, type Clock } from "./clock";
import type { EmulatedApp, EmulatorContext, Plan, ShopWebhookSubscription } from "./context";
import { controlRoutes } from "./control/routes";
import { customerDataAccessOf, FULL_CUSTOMER_DATA_ACCESS } from "./customer-data";
import { Faults } from "./faults";
import { oauthRoutes } from "./oauth/routes";
import { gid, makeId } from "./state/ids";
import { seedShop, type SeedParams } from "./state/seed";
import { loadSnapshot, saveSnapshot } from "./state/snapshot";
import { seqFromAnyId, Store } from "./state/store";
import { productView } from "./state/views";
import { LeakyBuckets } from "./throttle";
import { appFromToml, createWebhookSender, webhookRoutes, type WebhookSender } from "./webhooks/index";

export interface EmulatorOptions {
  port?: number; // 0 = any free port
  host?: string;
  /** Origin the emulator advertises (signed bulk URLs, the admin shell); default http://127.0.0.1:{port}. */
  publicOrigin?: string;
  /** Path of the app's shopify.app.toml; read when it exists. */
  tomlPath?: string | null;
  /** Admin block extensions for the admin shell; default: those beside the TOML (extensions/*). */
  adminBlocks?: AdminBlockExtension[];
  apiKey?: string;
  apiSecret?: string;
  appUrl?: string;
  /** Overrides applied last (tests). */
  app?: Partial<EmulatedApp>;
  /** Create and seed this shop at start (unless a snapshot already has it). */
  seed?: (SeedParams & { shop?: string; accessToken?: string }) | null;
  plan?: Plan;
  snapshotFile?: string | null;
  clock?: Clock;
  /** 1 = Shopify's timings (bulk start delay, webhook retries); 0.001 for tests. */
  timeScale?: number;
  logger?: boolean;
  bulkUrlTtlSeconds?: number;
  bulkStartDelayMs?: number;
  /** A token valid per the oauth surface for a shop the store does not know creates it (empty). */
  autoCreateShops?: boolean;
  /** Shortened oauth token lifetimes for tests. */
  oauthLifetimes?: Parameters<typeof oauthRoutes>[1]["lifetimes"];
}

export interface RunningEmulator {
  url: string;
  close(): Promise<void>;
  ctx: EmulatorContext;
  store: Store;
  clock: Clock;
  faults: Faults;
  buckets: LeakyBuckets;
  bulk: BulkRunner;
  webhooks: WebhookSender;
  fastify: FastifyInstance;
}

export const DEFAULT_SHOP = "shop-sync-demo.myshopify.com";
const DEFAULT_SCOPES = ["read_products", "read_orders", "read_all_orders", "read_inventory", "read_locations"];

export function resolveApp(o: EmulatorOptions): EmulatedApp {
  const apiSecret = o.apiSecret ?? process.env.SHOPIFY_API_SECRET ?? "emulator-api-secret";
  const appUrl = o.appUrl ?? process.env.SHOPIFY_APP_URL;
  const apiKey = o.apiKey ?? process.env.SHOPIFY_API_KEY;
  let app: EmulatedApp;
  if (o.tomlPath && existsSync(o.tomlPath)) {
    app = appFromToml(readFileSync(o.tomlPath, "utf8"), {
      apiSecret,
      ...(appUrl && { appUrl }),
      ...(apiKey && { apiKey }),
    });
  } else {
    app = {
      apiKey: apiKey ?? "emulator-api-key",
      apiSecret,
      appUrl: appUrl ?? "http://localhost:3000",
      scopes: DEFAULT_SCOPES,
      webhookApiVersion: "2026-10",
      webhookSubscriptions: [],
    };
  }
  return { ...app, ...o.app };
}

export async function startEmulator(o: EmulatorOptions = {}): Promise<RunningEmulator> {
  const clock = o.clock ?? systemClock;
  const schema = loadAdminSchema();
  const events = new EventEmitter();
  events.setMaxListeners(50);
  let origin = o.publicOrigin ?? "http://127.0.0.1:0";
  const store = new Store(events, () => clock.now());
  const ctx: EmulatorContext = {
    app: resolveApp(o),
    events,
    origin: () => origin,
    timeScale: o.timeScale ?? 1,
    productSummary: (domain, productId) => {
      const s = store.getShop(domain);
      const seq = s ? seqFromAnyId(s, "Product", productId) : undefined;
      const product = s && seq !== undefined ? s.products[seq] : undefined;
      if (!s || !product) return null;
      const view = productView(s, product);
      return {
        gid: view.gid,
        title: view.title,
        variants: view.variants.map((v) => ({ title: v.title, sku: v.sku, available: v.inventoryQuantity })),
      };
    },
    customerDataAccess: (domain: string) => {
      const s = store.getShop(domain);
      return s ? customerDataAccessOf(s, ctx.app.apiKey) : FULL_CUSTOMER_DATA_ACCESS;
    },
    shopWebhookSubscriptions: (domain: string): ShopWebhookSubscription[] => {
      const s = store.getShop(domain);
      if (!s) return [];
      return s.webhookSubscriptions.flatMap((w) =>
        w
          ? [
              {
                id: gid("WebhookSubscription", makeId("WebhookSubscription", s.no, w.seq)),
                topic: w.topic,
                uri: w.uri,
                name: w.name,
                apiVersion: w.apiVersion,
              },
            ]
          : [],
      );
    },
  };
  const faults = new Faults();
  const buckets = new LeakyBuckets(clock);
  const urlSecret = randomBytes(32).toString("hex");
  const bulk = new BulkRunner({
    schema,
    store,
    clock,
    faults,
    origin: () => origin,
    timeScale: () => ctx.timeScale,
    urlSecret,
    urlTtlSeconds: o.bulkUrlTtlSeconds ?? BULK_URL_TTL_SECONDS,
    ...(o.bulkStartDelayMs !== undefined && { startDelayMs: o.bulkStartDelayMs }),
  });

  if (o.snapshotFile) loadSnapshot(store, o.snapshotFile);
  if (o.seed !== undefined && o.seed !== null) {
    const domain = o.seed.shop ?? DEFAULT_SHOP;
    if (!store.getShop(domain)) {
      const s = store.createShop({ domain, plan: o.seed.plan ?? o.plan ?? "standard", scopes: ctx.app.scopes });
      seedShop(store, s, o.seed);
      if (o.seed.accessToken) s.accessTokens.set(o.seed.accessToken, s.installation.scopes);
    }
  }

  // forceCloseConnections: closing the emulator drops every connection, including a client that left a
  // response body unread (tests do), which would otherwise keep close() waiting forever.
  const fastify = Fastify({ logger: o.logger ?? false, bodyLimit: 50 * 1024 * 1024, forceCloseConnections: true });
  const webhooks = createWebhookSender(ctx);

  // A token the oauth surface issued is the app being (re)installed on that shop: record it in the
  // store, and create the shop when it is new (the admin shell lets a merchant "install" anywhere).
  const onInstall = (domain: string, token: string) => {
    let s = store.getShop(domain);
    const v = ctx.auth?.validateAccessToken(domain, token);
    if (!v?.ok) return;
    if (!s && (o.autoCreateShops ?? true))
      s = store.createShop({ domain, scopes: v.scopes, ...(o.plan && { plan: o.plan }) });
    if (s && !s.installation.installed) store.recordInstall(s, v.scopes);
  };
  fastify.addHook("onRequest", async (request) => {
    if (!request.url.startsWith("/admin/api/")) return;
    const token = request.headers["x-shopify-access-token"];
    const host = (request.headers["x-forwarded-host"] ?? request.headers.host) as string | undefined;
    if (typeof token === "string" && host) {
      const domain = host.split(",")[0]!.trim().toLowerCase().replace(/:\d+$/, "");
      const s = store.getShop(domain);
      if (!s || !checkToken(ctx, s, token)) onInstall(domain, token);
    }
  });

  // ---- surfaces -------------------------------------------------------------------------------
  // Registration list: one entry per Shopify surface. Surfaces never import each other; they meet
  // on `ctx` (context.ts). oauthRoutes must come first: it installs ctx.auth.
  await fastify.register(oauthRoutes, {
    ctx,
    now: () => clock.now(),
    ...(o.oauthLifetimes && { lifetimes: o.oauthLifetimes }),
  });
  await fastify.register(webhookRoutes, { ctx, sender: webhooks });
  await fastify.register(adminShellRoutes, {
    ctx,
    adminBlocks: o.adminBlocks ?? (o.tomlPath ? loadAdminBlocks(path.dirname(path.resolve(o.tomlPath))) : []),
  });
  await fastify.register(adminGraphQLRoutes, { ctx, schema, store, buckets, faults, clock, bulk });
  await fastify.register(bulkResultRoutes, { store, runner: bulk, clock, faults, urlSecret });
  await fastify.register(controlRoutes, { ctx, store, faults, buckets, bulk, snapshotFile: o.snapshotFile ?? null });

  await fastify.listen({ port: o.port ?? 4010, host: o.host ?? "127.0.0.1" });
  const address = fastify.server.address();
  if (!address || typeof address === "string") throw new Error("emulator: no TCP address");
  const url = `http://${o.host && o.host !== "0.0.0.0" ? o.host : "127.0.0.1"}:${address.port}`;
  if (!o.publicOrigin) origin = url;

  let closed = false;
  return {
    url,
    ctx,
    store,
    clock,
    faults,
    buckets,
    bulk,
    webhooks,
    fastify,
    async close() {
      if (closed) return;
      closed = true;
      await bulk.close();
      if (o.snapshotFile) saveSnapshot(store, o.snapshotFile);
      await fastify.close();
      await webhooks.close();
    },
  };
}
