// Retention on a fake clock (app/privacy/retention.server.ts): deliveries arrive over HTTP, signed, and
// are processed by the queue; then retention passes run at chosen moments after that, and remove exactly
// what their policy says — processed bodies after 7 days (metadata and audit trail stay), ignored
// deliveries after 24 hours, stores uninstalled longer than their "keep data after uninstall" setting —
// and nothing else. The task keeps its hourly chain going through the queue.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { retentionPolicy, runRetention, RETENTION_TASK, scheduleRetention } from "~/privacy/retention.server";
import { sessionStorage } from "~/shopify.server";
import { startAppServer, type AppServer } from "../support/app-http";
import { installedOfflineSession } from "../support/shopify-requests";
import { drainQueue, postDelivery } from "../webhooks/support/webhooks";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const product = readFileSync("tools/shopify-emulator/test-fixtures/webhook-samples/products_update.json", "utf8");

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
});

afterAll(async () => {
  await app?.close();
});

async function installedStore(shop: string) {
  const store = await db.shopifyStore.create({ data: { shop, name: shop, currencyCode: "USD" } });
  await sessionStorage.storeSession(installedOfflineSession(shop));
  return store;
}

describe("retention", () => {
  it("uses the documented defaults: 7 days for bodies, 24 hours for ignored deliveries", () => {
    expect(retentionPolicy()).toEqual({ bodyDays: 7, ignoredHours: 24 });
  });

  it("erases processed bodies after 7 days and ignored deliveries after 24 hours; metadata, audit and pending ones stay", async () => {
    const shop = "retention.myshopify.com";
    const store = await installedStore(shop);
    const processed = randomUUID();
    expect(await postDelivery(app.url, { shop, topic: "products/update", body: product, webhookId: processed })).toBe(
      200,
    );
    const unknown = randomUUID();
    expect(
      await postDelivery(app.url, {
        shop: "never-installed.myshopify.com",
        topic: "products/update",
        body: product,
        webhookId: unknown,
      }),
    ).toBe(200);
    await drainQueue();
    // A delivery still failing (to be retried) keeps its body: processing needs it.
    const failing = await db.shopifyWebhookEvent.create({
      data: {
        storeId: store.id,
        shop,
        webhookId: randomUUID(),
        topic: "products/update",
        rawBody: product,
        status: "failed",
      },
    });
    const received = Date.now();
    const event = (webhookId: string) => db.shopifyWebhookEvent.findFirst({ where: { webhookId } });

    // 23 hours later: nothing is due.
    let result = await runRetention(new Date(received + 23 * HOUR));
    expect(result).toMatchObject({ bodiesErased: 0, ignoredDeleted: 0, storesPurged: [] });
    expect((await event(unknown))?.status).toBe("ignored");

    // 25 hours later: the ignored delivery of an unknown shop is gone; the processed body stays.
    result = await runRetention(new Date(received + 25 * HOUR));
    expect(result.ignoredDeleted).toBe(1);
    expect(await event(unknown)).toBeNull();
    expect((await event(processed))?.rawBody).toBe(product);

    // 6 days 23 hours: still kept.
    result = await runRetention(new Date(received + 7 * DAY - HOUR));
    expect(result.bodiesErased).toBe(0);

    // 7 days and an hour: the processed body is erased, its metadata and audit trail stay.
    const at = new Date(received + 7 * DAY + HOUR);
    result = await runRetention(at);
    expect(result.bodiesErased).toBe(1);
    const erased = await db.shopifyWebhookEvent.findFirstOrThrow({
      where: { webhookId: processed },
      include: { transitions: true },
    });
    expect(erased).toMatchObject({ rawBody: "", status: "processed", topic: "products/update", storeId: store.id });
    expect(erased.bodyErasedAt?.toISOString()).toBe(at.toISOString());
    expect(erased.resourceId).toBe("gid://shopify/Product/788032119674292922");
    expect(erased.transitions.map((transition) => transition.toStatus)).toEqual(["processed"]);
    expect((await db.shopifyWebhookEvent.findUniqueOrThrow({ where: { id: failing.id } })).rawBody).toBe(product);
    // The mirrored product is not the delivery: it stays.
    expect(await db.shopifyProduct.count({ where: { storeId: store.id } })).toBe(1);
  });

  it("a store's ignored delivery (refused, or after uninstall) loses its body after 24 hours and keeps its audit trail", async () => {
    const shop = "refused-retention.myshopify.com";
    const store = await installedStore(shop);
    const webhookId = randomUUID();
    const redact = JSON.stringify({ shop_id: 1, shop_domain: shop });
    expect(await postDelivery(app.url, { shop, topic: "shop/redact", body: redact, webhookId })).toBe(200);
    await drainQueue();
    const refused = await db.shopifyWebhookEvent.findFirstOrThrow({ where: { webhookId } });
    expect(refused).toMatchObject({ status: "ignored", storeId: store.id });
    await runRetention(new Date(Date.now() + 25 * HOUR));
    const after = await db.shopifyWebhookEvent.findFirstOrThrow({
      where: { webhookId },
      include: { transitions: true },
    });
    expect(after.rawBody).toBe("");
    expect(after.lastError).toMatch(/^refused/);
    expect(after.transitions).toHaveLength(1);
  });

  it("purges a store uninstalled longer than its keep-data setting, and only that store", async () => {
    const now = Date.now();
    const uninstalledAt = new Date(now - DAY);
    const kept = await installedStore("kept-30.myshopify.com");
    const immediate = await installedStore("kept-0.myshopify.com");
    const active = await installedStore("still-installed.myshopify.com");
    // Each mirrored a product while installed.
    for (const shop of [kept.shop, immediate.shop, active.shop]) {
      expect(await postDelivery(app.url, { shop, topic: "products/update", body: product })).toBe(200);
    }
    await drainQueue();
    // Then two were uninstalled a day ago (as app/uninstalled leaves them: no sessions, data kept).
    for (const [store, retainDaysAfterUninstall] of [
      [kept, 30],
      [immediate, 0],
    ] as const) {
      await db.shopifyStore.update({
        where: { id: store.id },
        data: { status: "uninstalled", uninstalledAt, retainDaysAfterUninstall },
      });
      await db.session.deleteMany({ where: { shop: store.shop } });
    }
    await db.shopifyStore.update({ where: { id: active.id }, data: { retainDaysAfterUninstall: 0 } });
    // A delivery kept for the shop without a store: the purge takes it too.
    await db.shopifyWebhookEvent.create({
      data: {
        shop: immediate.shop,
        webhookId: randomUUID(),
        topic: "products/update",
        rawBody: product,
        status: "ignored",
      },
    });
    for (const store of [kept, immediate, active]) {
      expect(await db.shopifyProduct.count({ where: { storeId: store.id } })).toBe(1);
    }

    let result = await runRetention(new Date(now));
    expect(result.storesPurged).toEqual([immediate.shop]);
    expect(await db.shopifyStore.count({ where: { id: immediate.id } })).toBe(0);
    expect(await db.shopifyProduct.count({ where: { storeId: immediate.id } })).toBe(0);
    expect(await db.shopifyWebhookEvent.count({ where: { shop: immediate.shop } })).toBe(0);
    expect(await db.session.count({ where: { shop: immediate.shop } })).toBe(0);

    // 29 days after the uninstall: the 30-day store stays.
    result = await runRetention(new Date(uninstalledAt.getTime() + 29 * DAY));
    expect(result.storesPurged).toEqual([]);
    expect(await db.shopifyProduct.count({ where: { storeId: kept.id } })).toBe(1);

    // 30 days and an hour: purged, whether or not shop/redact ever arrived. The installed store never is.
    result = await runRetention(new Date(uninstalledAt.getTime() + 30 * DAY + HOUR));
    expect(result.storesPurged).toEqual([kept.shop]);
    expect(await db.shopifyStore.count({ where: { id: kept.id } })).toBe(0);
    expect(await db.shopifyStore.findUniqueOrThrow({ where: { id: active.id } })).toMatchObject({ status: "active" });
    expect(await db.shopifyProduct.count({ where: { storeId: active.id } })).toBe(1);
  });

  it("runs as a queued task that schedules its next run an hour later", async () => {
    await scheduleRetention();
    await drainQueue();
    const { queueDepth } = await import("~/sync/queue/queue.server");
    expect((await queueDepth()).scheduled).toBeGreaterThanOrEqual(1);
    if (!process.env.DATABASE_URL?.startsWith("postgres")) {
      const next = await db.job.findFirstOrThrow({ where: { taskIdentifier: RETENTION_TASK } });
      expect(next.runAt.getTime()).toBeGreaterThan(Date.now() + 59 * 60_000);
    }
  });
});
