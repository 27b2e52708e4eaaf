// Shared by the webhook-pipeline tests: signing and posting deliveries straight to the app (as Shopify
// does), seeded shuffles, and draining the queue. The emulator is started with
// tests/support/emulator.ts, mirrors compared with tests/support/mirror.ts.
import { createHmac, randomUUID } from "node:crypto";
import { TEST_API_SECRET } from "../../support/test-env";

/** Base64 HMAC-SHA256 of the raw body with the app secret, as Shopify (and the emulator's sender) sign. */
export function sign(body: string | Buffer, secret = TEST_API_SECRET): string {
  return createHmac("sha256", secret).update(body).digest("base64");
}

export interface Delivery {
  shop: string;
  topic: string;
  body: string;
  webhookId?: string;
  eventId?: string;
  triggeredAt?: string;
  apiVersion?: string;
}

/** The header set Shopify sends (the emulator's sender.ts), signed over the exact body. */
export function shopifyHeaders(delivery: Delivery): Record<string, string> {
  return {
    "content-type": "application/json",
    "x-shopify-topic": delivery.topic,
    "x-shopify-hmac-sha256": sign(delivery.body),
    "x-shopify-shop-domain": delivery.shop,
    "x-shopify-api-version": delivery.apiVersion ?? "2026-10",
    "x-shopify-webhook-id": delivery.webhookId ?? randomUUID(),
    "x-shopify-triggered-at": delivery.triggeredAt ?? new Date().toISOString(),
    "x-shopify-event-id": delivery.eventId ?? randomUUID(),
  };
}

/** POSTs one signed delivery to the app's route for its topic; returns the HTTP status. */
export async function postDelivery(appUrl: string, delivery: Delivery, signal?: AbortSignal): Promise<number> {
  const response = await fetch(`${appUrl}/webhooks/${delivery.topic}`, {
    method: "POST",
    headers: shopifyHeaders(delivery),
    body: delivery.body,
    signal,
  });
  await response.arrayBuffer();
  return response.status;
}

/** postDelivery's status, or "connection" when no answer came (refused, reset: as Shopify sees it). */
export async function postDeliveryStatus(appUrl: string, delivery: Delivery): Promise<number | "connection"> {
  try {
    return await postDelivery(appUrl, delivery);
  } catch {
    return "connection";
  }
}

/** JSON.stringify that keeps bigints (minor-unit money) and dates comparable. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? `${v}n` : v));
}

/** A seeded PRNG (mulberry32), so a failing shuffle can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * Runs the queue until nothing is ready or running, and returns how many attempts ran.
 *
 * runUntilIdle alone should do, but on PostgreSQL it can return with one job locked and never run
 * (graphile-worker's runOnce, seen under load: the job's shop queue then stays locked and every later
 * job of that shop waits; reported to the queue's owners, app/sync/queue/postgres.server.ts). A real
 * worker's sweeper releases such locks (the locking pool is gone), so when a pass leaves work behind
 * the rest is drained by a worker with a short lock timeout, as a restarted production worker would.
 * Jobs scheduled for later (retry backoff) are not waited for.
 */
export async function drainQueue(timeoutMs = 30_000): Promise<number> {
  const { queueDepth, runUntilIdle, startWorker } = await import("~/sync/queue/queue.server");
  const { onPermanentFailure, tasks } = await import("~/sync/tasks/index.server");
  let ran = await runUntilIdle({ tasks, onPermanentFailure });
  const idle = async () => {
    const depth = await queueDepth();
    return depth.ready === 0 && depth.running === 0;
  };
  if (await idle()) return ran;
  const worker = await startWorker({
    tasks: Object.fromEntries(
      Object.entries(tasks).map(([name, task]) => [
        name,
        async (...args: Parameters<typeof task>) => {
          ran += 1;
          await task(...args);
        },
      ]),
    ),
    onPermanentFailure,
    lockTimeoutMs: 1_000,
    sweepIntervalMs: 250,
    pollIntervalMs: 50,
  });
  try {
    const deadline = Date.now() + timeoutMs;
    while (!(await idle())) {
      if (Date.now() > deadline) throw new Error(`the queue did not drain: ${JSON.stringify(await queueDepth())}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  } finally {
    await worker.stop();
  }
  return ran;
}
