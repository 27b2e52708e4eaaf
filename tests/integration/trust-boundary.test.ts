// The trust boundary over real HTTP (docs/decisions/0016-trust-boundary.md): signed bodies replayed
// with rewritten headers — the topic header changed, the shop header changed, a body posted to another
// topic's route, a compliance or uninstall body naming another shop — are refused with 4xx, store
// nothing and change nothing, for every subscribed topic, while the legitimate deliveries of the same
// run land. Then the state guards: shop/redact purges only an uninstalled store, a stale app/uninstalled
// does not undo a reinstall, and lifecycle and compliance deliveries are never replayed from the UI.
// (An app/uninstalled Shopify does not confirm: tests/integration/uninstall-confirmation.test.ts.)
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { scrapeMetrics } from "~/observability/metrics.server";
import { recordStoreConnection } from "~/stores/store-connection.server";
import { webhookDetailView } from "~/view-models/webhooks.server";
import { replayWebhookEvent } from "~/webhooks/replay.server";
import { SUBSCRIBED_TOPICS, type WebhookTopic } from "~/webhooks/topics";
import { startAppServer, type AppServer } from "../support/app-http";
import { pointAppAtEmulator, startTestEmulator, type TestEmulator } from "../support/emulator";
import { installedOfflineSession } from "../support/shopify-requests";
import { storeSnapshot } from "../support/mirror";
import { seedShop } from "../support/store";
import { webhookSample } from "../support/webhook-samples";
import { drainQueue, shopifyHeaders } from "../webhooks/support/webhooks";

const SHOP = "trusted.myshopify.com";
const OTHER = "other.myshopify.com";
const SHOP_ID = "954889";

/** Shopify's samples, naming `shop` wherever they name a shop. */
function sample(name: string, shop: string): string {
  return webhookSample(name, shop)
    .replaceAll("{shop}.myshopify.com", shop)
    .replace('"myshopify_domain": null', `"myshopify_domain": "${shop}"`)
    .replace('"id": 548380009', `"id": ${SHOP_ID}`);
}

/** A signed body for each subscribed topic, as Shopify would send it for `shop`. */
function bodyFor(topic: WebhookTopic, shop: string): string {
  switch (topic) {
    case "products/create":
    case "products/update":
      return sample("products_update", shop);
    case "products/delete":
      return sample("products_delete", shop);
    case "inventory_levels/update":
      return sample("inventory_levels_update", shop);
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled":
      return sample("orders_create", shop);
    case "bulk_operations/finish":
      return sample("bulk_operations_finish", shop);
    case "app/uninstalled":
      return sample("app_uninstalled", shop);
    case "app/scopes_update":
      return JSON.stringify({ id: 1, previous: ["read_products"], current: ["read_products", "read_orders"] });
    case "customers/data_request":
      return sample("customers_data_request", shop);
    case "customers/redact":
      return sample("customers_redact", shop);
    case "shop/redact":
      return sample("shop_redact", shop);
  }
}

/** Topics whose bodies are the same resource's state: one's body on another's route is the same update. */
const SAME_STATE = [
  new Set(["products/create", "products/update"]),
  new Set(["orders/create", "orders/updated", "orders/paid", "orders/cancelled"]),
];
const sameState = (a: string, b: string) => SAME_STATE.some((group) => group.has(a) && group.has(b));

/** Topics whose signed body names its shop (directly, or through an order's status page URL). */
const NAMES_ITS_SHOP = new Set<string>([
  "app/uninstalled",
  "customers/data_request",
  "customers/redact",
  "shop/redact",
  "orders/create",
  "orders/updated",
  "orders/paid",
  "orders/cancelled",
]);

let app: AppServer;
let emulator: TestEmulator;
let storeId: number;
let otherId: number;

async function post(
  route: string,
  body: string,
  headers: { topic?: string; shop?: string; webhookId?: string; triggeredAt?: string } = {},
): Promise<{ status: number; webhookId: string }> {
  const webhookId = headers.webhookId ?? `attack-${randomUUID()}`;
  const signed = shopifyHeaders({
    shop: headers.shop ?? SHOP,
    topic: headers.topic ?? route,
    body,
    webhookId,
    ...(headers.triggeredAt ? { triggeredAt: headers.triggeredAt } : {}),
  });
  const response = await fetch(`${app.url}/webhooks/${route}`, { method: "POST", headers: signed, body });
  await response.arrayBuffer();
  return { status: response.status, webhookId };
}

async function everything() {
  return {
    trusted: await storeSnapshot(storeId),
    other: await storeSnapshot(otherId),
    stores: await db.shopifyStore.findMany({ orderBy: { id: "asc" } }),
    sessions: await db.session.findMany({ orderBy: { id: "asc" }, select: { id: true, shop: true } }),
    requests: await db.shopifyCustomerDataRequest.count(),
  };
}

async function securityCount(event: string): Promise<number> {
  const { body } = await scrapeMetrics();
  return [...body.matchAll(new RegExp(`^shop_sync_security_events_total\\{event="${event}",[^}]*\\} (\\S+)$`, "gm"))]
    .map((match) => Number(match[1]))
    .reduce((sum, value) => sum + value, 0);
}

beforeAll(async () => {
  app = await startAppServer();
  // app/uninstalled is confirmed with Shopify, here the emulator (ADR 0039): set before anything
  // imports app/shopify.server.ts.
  emulator = await startTestEmulator();
  pointAppAtEmulator(emulator);
  const { sessionStorage } = await import("~/shopify.server");
  storeId = (
    await db.shopifyStore.create({
      data: { shop: SHOP, shopifyId: `gid://shopify/Shop/${SHOP_ID}`, name: "Trusted", currencyCode: "USD" },
    })
  ).id;
  otherId = (await db.shopifyStore.create({ data: { shop: OTHER, name: "Other", currencyCode: "USD" } })).id;
  await sessionStorage.storeSession(installedOfflineSession(SHOP));
  await sessionStorage.storeSession(installedOfflineSession(OTHER));
  // The trusted store's mirror: a product, an order with its customer, an inventory level.
  for (const topic of ["products/update", "orders/create", "inventory_levels/update"] as const) {
    expect((await post(topic, bodyFor(topic, SHOP), { webhookId: `seed-${topic}` })).status).toBe(200);
  }
  await drainQueue();
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("replayed signed bodies with rewritten headers", () => {
  it("are refused, store nothing and change nothing, for every subscribed topic; legitimate deliveries still land", async () => {
    const before = await everything();
    expect(before.trusted.products).toHaveLength(1);
    expect(before.trusted.orders).toHaveLength(1);
    const refusedBefore = {
      topic: await securityCount("topic_mismatch"),
      shop: (await securityCount("shop_mismatch")) + (await securityCount("shop_id_mismatch")),
    };

    const refused: Array<{ what: string; status: number; webhookId: string }> = [];
    for (const topic of SUBSCRIBED_TOPICS) {
      const body = bodyFor(topic, SHOP);
      for (const other of SUBSCRIBED_TOPICS.filter((candidate) => candidate !== topic)) {
        // The topic header changed (the body stays on its own route).
        refused.push({
          what: `${topic} with X-Shopify-Topic ${other}`,
          ...(await post(topic, body, { topic: other })),
        });
        // The body posted to another topic's route, with that route's topic header.
        if (!sameState(topic, other)) refused.push({ what: `${topic} body on ${other}`, ...(await post(other, body)) });
      }
      if (NAMES_ITS_SHOP.has(topic)) {
        // The shop header changed: the body still names the trusted shop.
        refused.push({ what: `${topic} for ${OTHER}`, ...(await post(topic, body, { shop: OTHER })) });
        // A body naming another shop, sent with the trusted shop's header.
        refused.push({ what: `${topic} about ${OTHER}`, ...(await post(topic, bodyFor(topic, OTHER))) });
      }
    }
    // A compliance body naming the right domain but another shop id than the stored one.
    refused.push({
      what: "shop/redact with another shop_id",
      ...(await post("shop/redact", JSON.stringify({ shop_id: 1, shop_domain: SHOP }))),
    });
    // The reproduction: a shop/redact body about someone else, with the installed shop's header.
    refused.push({
      what: "shop/redact naming someone else",
      ...(await post("shop/redact", JSON.stringify({ shop_id: 954889, shop_domain: "someone-else.myshopify.com" }))),
    });

    // The legitimate delivery in the same run lands.
    const legit = await post("products/update", bodyFor("products/update", SHOP), { webhookId: "legit-1" });
    expect(legit.status).toBe(200);

    const notRefused = refused.filter((attempt) => attempt.status !== 400);
    expect(notRefused).toEqual([]);
    expect(refused.length).toBeGreaterThan(SUBSCRIBED_TOPICS.length * 20);
    const stored = await db.shopifyWebhookEvent.count({ where: { webhookId: { startsWith: "attack-" } } });
    expect(stored).toBe(0);
    expect(await db.shopifyWebhookEvent.count({ where: { webhookId: "legit-1", storeId } })).toBe(1);

    await drainQueue();
    expect(await everything()).toEqual(before);
    const trusted = await db.shopifyStore.findUniqueOrThrow({ where: { id: storeId } });
    expect(trusted.status).toBe("active");

    // Each kind is logged and counted under its own label.
    expect(await securityCount("topic_mismatch")).toBeGreaterThanOrEqual(refusedBefore.topic + 13 * 14);
    expect((await securityCount("shop_mismatch")) + (await securityCount("shop_id_mismatch"))).toBeGreaterThan(
      refusedBefore.shop + 2 * NAMES_ITS_SHOP.size,
    );
    expect(await securityCount("shop_id_mismatch")).toBeGreaterThanOrEqual(1);
    expect(await securityCount("body_mismatch")).toBeGreaterThan(0);
  }, 60_000);

  it("a forged signature is refused with 401 and counted as invalid_hmac", async () => {
    const before = await securityCount("invalid_hmac");
    const body = bodyFor("shop/redact", SHOP);
    const headers = { ...shopifyHeaders({ shop: SHOP, topic: "shop/redact", body }), "x-shopify-hmac-sha256": "AAAA" };
    const response = await fetch(`${app.url}/webhooks/shop/redact`, { method: "POST", headers, body });
    expect(response.status).toBe(401);
    expect(await securityCount("invalid_hmac")).toBe(before + 1);
  });
});

describe("ingest routes by path", () => {
  it("takes the route's topic from the URL path: the same checks, and 404 for a path that is no topic's", async () => {
    const body = bodyFor("products/update", SHOP);
    const at = (path: string, topic: string, webhookId: string) =>
      fetch(`${app.url}${path}`, {
        method: "POST",
        headers: shopifyHeaders({ shop: SHOP, topic, body, webhookId }),
        body,
      });
    expect((await at("/webhooks/products/update", "products/update", "by-path-1")).status).toBe(200);
    expect((await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId: "by-path-1" } })).topic).toBe(
      "products/update",
    );
    expect((await at("/webhooks/shop/redact", "shop/redact", "by-path-2")).status).toBe(400);
    expect((await at("/webhooks/products/update", "shop/redact", "by-path-3")).status).toBe(400);
    expect((await at("/webhooks/shop/update", "shop/update", "by-path-4")).status).toBe(404);
    expect(
      await db.shopifyWebhookEvent.count({ where: { webhookId: { in: ["by-path-2", "by-path-3", "by-path-4"] } } }),
    ).toBe(0);
    await drainQueue();
  });
});

describe("destructive topics are guarded by the stored state", () => {
  it("shop/redact for an installed store purges nothing, and is recorded as refused", async () => {
    const before = await everything();
    const refusedBefore = await securityCount("destructive_refused");
    const { status, webhookId } = await post("shop/redact", bodyFor("shop/redact", SHOP), {
      webhookId: "redact-active",
    });
    expect(status).toBe(200);
    await drainQueue();
    expect(await everything()).toEqual(before);
    const event = await db.shopifyWebhookEvent.findFirstOrThrow({
      where: { webhookId },
      include: { transitions: true },
    });
    expect(event.status).toBe("ignored");
    expect(event.lastError).toMatch(/^refused: shop\/redact for a store that is installed/);
    expect(event.transitions.map((transition) => transition.toStatus)).toEqual(["ignored"]);
    expect(await securityCount("destructive_refused")).toBe(refusedBefore + 1);
  });

  it("lifecycle and compliance deliveries are never replayed from the UI; sync deliveries are", async () => {
    const compliance = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId: "redact-active" } });
    await db.shopifyWebhookEvent.update({ where: { id: compliance.id }, data: { status: "dead" } });
    const refusedBefore = await securityCount("replay_refused");
    expect(await replayWebhookEvent(storeId, compliance.id)).toBe(false);
    expect(await securityCount("replay_refused")).toBe(refusedBefore + 1);
    expect((await db.shopifyWebhookEvent.findUniqueOrThrow({ where: { id: compliance.id } })).status).toBe("dead");
    const store = await db.shopifyStore.findUniqueOrThrow({ where: { id: storeId } });
    expect((await webhookDetailView(store, compliance.id))?.event.retryable).toBe(false);

    const sync = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId: "legit-1" } });
    expect((await webhookDetailView(store, sync.id))?.event.retryable).toBe(true);
    expect(await replayWebhookEvent(storeId, sync.id)).toBe(true);
    await drainQueue();
  });

  it("a stale app/uninstalled after a reinstall leaves the store active with its session; then a real uninstall and shop/redact purge everything", async () => {
    const shop = "reinstalled.myshopify.com";
    // The shop in Shopify (the emulator), which the app asks to confirm the uninstall.
    await seedShop(emulator, shop, { scopes: ["read_products"], seed: { seed: shop, products: 1, orders: 0 } });
    const shopId = (await emulator.control<{ shop: { id: string } }>("GET", `/shops/${shop}`)).shop.id;
    const connection = {
      shop: {
        id: `gid://shopify/Shop/${shopId}`,
        name: "Reinstalled",
        email: null,
        myshopifyDomain: shop,
        currencyCode: "USD",
        ianaTimezone: "UTC",
        plan: null,
        primaryDomain: null,
      },
      appInstallation: { accessScopes: [{ handle: "read_products" }] },
    };
    const { sessionStorage } = await import("~/shopify.server");
    const firstInstall = new Date(Date.now() - 3 * 86_400_000);
    const { id } = await recordStoreConnection(shop, connection, firstInstall);
    const uninstallBody = bodyFor("app/uninstalled", shop).replace(`"id": ${SHOP_ID}`, `"id": ${shopId}`);
    // The first uninstall, two days ago (no offline session stored: nothing to confirm it with).
    const uninstalledAt = new Date(Date.now() - 2 * 86_400_000).toISOString();
    expect((await post("app/uninstalled", uninstallBody, { shop, triggeredAt: uninstalledAt })).status).toBe(200);
    await drainQueue();
    expect((await db.shopifyStore.findUniqueOrThrow({ where: { id } })).status).toBe("uninstalled");

    // Reinstalled a day ago: a new installation, with its session.
    const reinstalledAt = new Date(Date.now() - 86_400_000);
    const reinstalled = await recordStoreConnection(shop, connection, reinstalledAt);
    expect(reinstalled.installedAt.toISOString()).toBe(reinstalledAt.toISOString());
    await sessionStorage.storeSession(installedOfflineSession(shop));

    // The old uninstall again (Shopify's retry, or a replay under a new webhook id): stale.
    const stale = await post("app/uninstalled", uninstallBody, { shop, triggeredAt: uninstalledAt });
    expect(stale.status).toBe(200);
    await drainQueue();
    expect((await db.shopifyStore.findUniqueOrThrow({ where: { id } })).status).toBe("active");
    expect(await db.session.count({ where: { shop } })).toBe(1);
    const staleEvent = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId: stale.webhookId } });
    expect(staleEvent.status).toBe("ignored");
    expect(staleEvent.lastError).toMatch(/before the latest install/);

    // A real uninstall now (Shopify revokes the token, so the app can confirm it), then shop/redact:
    // everything of the shop goes.
    await post("orders/create", bodyFor("orders/create", shop), { shop });
    await drainQueue();
    expect(await db.shopifyOrder.count({ where: { storeId: id } })).toBe(1);
    await emulator.control("POST", `/shops/${shop}/uninstall`);
    expect((await post("app/uninstalled", uninstallBody, { shop })).status).toBe(200);
    await drainQueue();
    expect((await db.shopifyStore.findUniqueOrThrow({ where: { id } })).status).toBe("uninstalled");
    const redact = `{"shop_id": ${shopId}, "shop_domain": "${shop}"}`; // the id as Shopify writes it
    expect((await post("shop/redact", redact, { shop })).status).toBe(200);
    await drainQueue();
    expect(await db.shopifyStore.count({ where: { shop } })).toBe(0);
    expect(await db.shopifyOrder.count({ where: { storeId: id } })).toBe(0);
    expect(await db.shopifyWebhookEvent.count({ where: { shop } })).toBe(0);
    expect(await db.session.count({ where: { shop } })).toBe(0);
  });
});
