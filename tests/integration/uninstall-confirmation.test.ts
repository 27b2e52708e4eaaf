// app/uninstalled is confirmed with Shopify before an installed store is uninstalled
// (docs/decisions/0039-confirm-uninstall-with-shopify.md). Shopify signs only the body, and an
// uninstall's body is the shop object, the same in every delivery about that shop: a body replayed
// with a fresh (or no) X-Shopify-Triggered-At must not end an installation Shopify still has. Over
// real HTTP: signed deliveries posted to the app's ingest, processed by the queue, confirmed against
// the emulator's Admin API with the store's offline token.
import { Session } from "@shopify/shopify-api";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { scrapeMetrics } from "~/observability/metrics.server";
import { startAppServer, type AppServer } from "../support/app-http";
import { pointAppAtEmulator, startTestEmulator, type TestEmulator } from "../support/emulator";
import { jobsWithKeyPrefix, retriesDueNow } from "../support/queue-jobs";
import { sessionToken } from "../support/shopify-requests";
import { installStore, seedShop, type InstalledStore } from "../support/store";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";
import { webhookSample } from "../support/webhook-samples";
import { drainQueue, shopifyHeaders } from "../webhooks/support/webhooks";

const SCOPES = ["read_products", "read_inventory", "read_locations", "read_orders"];

let app: AppServer;
let emulator: TestEmulator;
let store: InstalledStore;
let counter = 0;

/** Shopify's app/uninstalled sample (the shop object), naming `shop`. */
const uninstalledBody = (shop: string) =>
  webhookSample("app_uninstalled").replace('"myshopify_domain": null', `"myshopify_domain": "${shop}"`);

/** Posts the signed body to the app's route, as a replay would: a fresh triggered-at, or none at all. */
async function postUninstall(shop: string, triggeredAt: "now" | "none"): Promise<string> {
  const body = uninstalledBody(shop);
  const headers = shopifyHeaders({ shop, topic: "app/uninstalled", body });
  if (triggeredAt === "none") delete headers["x-shopify-triggered-at"];
  const response = await fetch(`${app.url}/webhooks/app/uninstalled`, { method: "POST", headers, body });
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return headers["x-shopify-webhook-id"] as string;
}

async function refusedCount(): Promise<number> {
  const { body } = await scrapeMetrics();
  return [...body.matchAll(/^shop_sync_security_events_total\{event="destructive_refused",[^}]*\} (\S+)$/gm)]
    .map((match) => Number(match[1]))
    .reduce((sum, value) => sum + value, 0);
}

/**
 * Replaces the store's offline session with an expiring token pair Shopify (the emulator) issued by
 * token exchange, its access token already expired: the next Admin call must refresh it first.
 */
async function expiredTokenPair(shop: string): Promise<void> {
  const response = await fetch(`${emulator.url}/admin/oauth/access_token`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-host": shop },
    body: JSON.stringify({
      client_id: TEST_API_KEY,
      client_secret: TEST_API_SECRET,
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: await sessionToken(shop),
      subject_token_type: "urn:ietf:params:oauth:token-type:id_token",
      requested_token_type: "urn:shopify:params:oauth:token-type:offline-access-token",
      expiring: "1",
    }),
  });
  expect(response.status).toBe(200);
  const pair = (await response.json()) as { access_token: string; refresh_token: string; scope: string };
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(
    new Session({
      id: `offline_${shop}`,
      shop,
      state: "",
      isOnline: false,
      scope: pair.scope,
      accessToken: pair.access_token,
      expires: new Date(Date.now() - 60_000),
      refreshToken: pair.refresh_token,
      refreshTokenExpires: new Date(Date.now() + 86_400_000),
    }),
  );
}

const eventOf = (webhookId: string) =>
  db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId }, include: { transitions: true } });
const storeStatus = async () => (await db.shopifyStore.findUniqueOrThrow({ where: { id: store.id } })).status;
const sessions = () => db.session.count({ where: { shop: store.shop } });

beforeAll(async () => {
  app = await startAppServer();
  emulator = await startTestEmulator();
  pointAppAtEmulator(emulator); // before anything imports app/shopify.server.ts
});

beforeEach(async () => {
  counter += 1;
  const shop = `uninstall-confirm-${counter}.myshopify.com`;
  await seedShop(emulator, shop, { scopes: SCOPES, seed: { seed: shop, products: 1, orders: 0, locations: 1 } });
  store = await installStore(shop, { scopes: SCOPES });
  const { resetShopApiStates } = await import("~/admin-api/client.server");
  resetShopApiStates();
});

afterAll(async () => {
  await emulator?.close();
  await app?.close();
});

describe("app/uninstalled for an installed store", () => {
  it("is refused while Shopify still accepts the store's token (fresh or missing triggered-at); after the real uninstall the same body uninstalls", async () => {
    const refusedBefore = await refusedCount();
    const running = await db.shopifySyncJob.create({
      data: { storeId: store.id, kind: "full", resource: "products", status: "running" },
    });

    const fresh = await postUninstall(store.shop, "now");
    const undated = await postUninstall(store.shop, "none");
    await drainQueue();

    expect(await storeStatus()).toBe("active");
    expect(await sessions()).toBe(1);
    expect((await db.shopifySyncJob.findUniqueOrThrow({ where: { id: running.id } })).status).toBe("running");
    for (const webhookId of [fresh, undated]) {
      const event = await eventOf(webhookId);
      expect(event.status).toBe("ignored");
      expect(event.lastError).toMatch(
        /^refused: app\/uninstalled while Shopify still accepts the store's access token/,
      );
      expect(event.transitions.map((transition) => transition.toStatus)).toEqual(["ignored"]);
    }
    expect(await refusedCount()).toBe(refusedBefore + 2);

    // The merchant uninstalls: Shopify revokes the token, and the same body now agrees with Shopify.
    await emulator.control("POST", `/shops/${store.shop}/uninstall`);
    const real = await postUninstall(store.shop, "now");
    await drainQueue();
    expect(await storeStatus()).toBe("uninstalled");
    expect(await sessions()).toBe(0);
    expect((await db.shopifySyncJob.findUniqueOrThrow({ where: { id: running.id } })).status).toBe("cancelled");
    expect((await eventOf(real)).status).toBe("processed");
    expect(await refusedCount()).toBe(refusedBefore + 2);
  });

  it("with no offline session left, uninstalls as before (there is no token to ask Shopify with)", async () => {
    await db.session.deleteMany({ where: { shop: store.shop } });
    const webhookId = await postUninstall(store.shop, "now");
    await drainQueue();
    expect(await storeStatus()).toBe("uninstalled");
    expect((await eventOf(webhookId)).status).toBe("processed");
  });

  it("while Shopify's Admin API fails, is not applied and fails, so the store's job retries it; applied once Shopify answers", async () => {
    await emulator.control("POST", "/faults", { shop: store.shop, error5xxRate: 1 });
    await emulator.control("POST", `/shops/${store.shop}/uninstall`);
    const webhookId = await postUninstall(store.shop, "now");
    await drainQueue();

    const failed = await eventOf(webhookId);
    expect(failed.status).toBe("failed");
    expect(failed.attempts).toBe(1);
    expect(failed.lastError).toMatch(/503|Service Unavailable/);
    expect(await storeStatus()).toBe("active");
    expect(await sessions()).toBe(1);
    // The store's processing job failed and waits for its retry.
    const key = `webhooks/process:${store.id}`;
    const job = (await jobsWithKeyPrefix(key)).find((queued) => queued.key === key);
    expect(job?.attempts).toBe(1);
    expect(job?.runAt.getTime()).toBeGreaterThan(Date.now());

    // Shopify answers again: the retry confirms the uninstall (the token is revoked) and applies it.
    await emulator.control("DELETE", `/faults?shop=${store.shop}`);
    const { resetShopApiStates } = await import("~/admin-api/client.server");
    resetShopApiStates();
    await retriesDueNow();
    await drainQueue();
    expect(await storeStatus()).toBe("uninstalled");
    expect(await sessions()).toBe(0);
    const applied = await eventOf(webhookId);
    expect(applied.status).toBe("processed");
    expect(applied.transitions.map((transition) => transition.toStatus)).toEqual(["failed", "processed"]);
  });

  it("with its access token expired, refreshes it first: a refresh Shopify accepts means installed (refused)", async () => {
    await expiredTokenPair(store.shop);
    const { sessionStorage } = await import("~/shopify.server");
    const before = await sessionStorage.loadSession(`offline_${store.shop}`);
    const webhookId = await postUninstall(store.shop, "now");
    await drainQueue();
    expect(await storeStatus()).toBe("active");
    expect((await eventOf(webhookId)).lastError).toMatch(/^refused: /);
    const after = await sessionStorage.loadSession(`offline_${store.shop}`);
    expect(after?.accessToken).not.toBe(before?.accessToken); // the refreshed pair was stored
    expect(after?.isExpired()).toBe(false);
  });

  it("with its access token expired, refreshes it first: a refresh token Shopify refuses (revoked by the uninstall) confirms it", async () => {
    await expiredTokenPair(store.shop);
    await emulator.control("POST", `/shops/${store.shop}/uninstall`);
    const webhookId = await postUninstall(store.shop, "now");
    await drainQueue();
    const event = await eventOf(webhookId);
    expect([event.status, event.lastError]).toEqual(["processed", null]);
    expect(await storeStatus()).toBe("uninstalled");
    expect(await sessions()).toBe(0);
  });
});
