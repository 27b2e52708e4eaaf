// The HTTP side of webhook ingest: the app's server (server.ts) hands every request under /webhooks/
// here, on node:http, before Express and Remix (docs/decisions/0027-lean-ingest-server.md). It admits
// or refuses the delivery, reads its body (bounded), and writes what ingest.server.ts answers. Tests,
// the demo and `npm run dev:app` reach ingest through this same function.
//
// Admission (docs/decisions/0028-ingest-overload-stalls-shutdown.md): a delivery is refused with 503 and
// Retry-After — before its body is read — when MAX_IN_FLIGHT deliveries are being handled, when the
// bodies held in memory would pass MAX_IN_FLIGHT_BYTES, when the event loop lags more than
// MAX_EVENT_LOOP_LAG_MS (the process is past its capacity: answers would come late), or while the server
// shuts down. Shopify retries a 503 later; nothing refused is stored, nothing acknowledged is lost.
import type { IncomingMessage, ServerResponse } from "node:http";
import { logger } from "~/observability/logger.server";
import { recordWebhookAnswer } from "~/observability/metrics.server";
import { heldDeliveryBytes, storeIdle } from "./delivery-store.server";
import { countAnswer, ingestDelivery, MAX_WEBHOOK_BODY_BYTES, unavailable, type IngestAnswer } from "./ingest.server";
import { topicOfWebhookPath } from "./topics";

/** Requests under this path are webhook deliveries (shopify.app.toml's URIs). */
export const WEBHOOK_PATH_PREFIX = "/webhooks/";

/**
 * Deliveries handled at once (reading, verifying, waiting for their commit). By Little's law a
 * delivery's answer takes about MAX_IN_FLIGHT / (deliveries committed per second): with SQLite's
 * ~1,500–2,500/s on 2 cores (`npm run bench:webhooks`), 128 keeps an admitted delivery's answer near
 * 50–100 ms when more arrive than the process can commit, and every delivery past it gets a 503 at
 * once instead of a late answer (256 gave 150–200 ms: docs/decisions/0045-short-processing-pages-many-accept-sockets.md).
 */
export const MAX_IN_FLIGHT = 128;
/** Body bytes held in memory by deliveries being read or waiting for their commit. */
export const MAX_IN_FLIGHT_BYTES = 64 * 1024 * 1024;
/**
 * Event-loop lag past which new deliveries are refused: a probe timer fires LAG_PROBE_MS late by more
 * than this, LAG_PROBES times in a row — the process is past its capacity, and requests it has not read
 * yet (which no count here sees) wait as long as the loop lags. One long pause (a garbage collection, a
 * synchronous batch) does not shed; sustained lag does. (100 ms on two probes was tried: it refused
 * single deliveries arriving just after a few long synchronous queries — docs/decisions/0043-ingest-event-loop-turns.md.)
 */
export const MAX_EVENT_LOOP_LAG_MS = 200;
const LAG_PROBES = 4;

let inFlight = 0;
let readingBytes = 0;
let shuttingDown = false;
const idleWaiters = new Set<() => void>();

/** Whether the server hands this request to ingest. */
export function isWebhookRequest(url: string | undefined): boolean {
  return (url ?? "").startsWith(WEBHOOK_PATH_PREFIX);
}

// ---- event-loop lag: a timer that should fire every LAG_PROBE_MS; how late it fires is the lag ------
const LAG_PROBE_MS = 50;
let lateProbes = 0;
let lagProbe: NodeJS.Timeout | null = null;
function probeEventLoopLag(): void {
  if (lagProbe) return;
  let expected = performance.now() + LAG_PROBE_MS;
  lagProbe = setInterval(() => {
    const now = performance.now();
    lateProbes = now - expected > MAX_EVENT_LOOP_LAG_MS ? lateProbes + 1 : 0;
    expected = now + LAG_PROBE_MS;
  }, LAG_PROBE_MS).unref();
}

/** Why a delivery arriving now would be refused, or null to admit it. */
function refusal(declaredBytes: number) {
  if (shuttingDown) return "shutting_down" as const;
  if (inFlight >= MAX_IN_FLIGHT) return "in_flight" as const;
  if (readingBytes + heldDeliveryBytes() + declaredBytes > MAX_IN_FLIGHT_BYTES) return "in_flight" as const;
  if (lateProbes >= LAG_PROBES) return "event_loop_lag" as const;
  return null;
}

/**
 * Writes the answer, and observes how long after `arrivedAt` (performance.now() when the request's
 * headers were read) it went out: shop_sync_webhook_ack_seconds, the time Shopify waits (up to 5 s).
 */
function send(
  res: ServerResponse,
  arrivedAt: number,
  answered: IngestAnswer,
  extraHeaders: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  recordWebhookAnswer(answered.status, (performance.now() - arrivedAt) / 1000);
  const headers: Record<string, string> = { "X-Shop-Sync-Ingest": answered.outcome, ...extraHeaders };
  if (answered.retryAfterSeconds !== undefined) headers["Retry-After"] = String(answered.retryAfterSeconds);
  // A server that stops accepting closes the connections it answers on, so keep-alive clients reconnect
  // to a process that still runs.
  if (shuttingDown) headers.Connection = "close";
  if (answered.body !== undefined) headers["Content-Type"] = "text/plain; charset=utf-8";
  res.writeHead(answered.status, headers);
  res.end(answered.body);
}

/**
 * The body, or null once it passed MAX_WEBHOOK_BODY_BYTES (the rest is not read). The bytes read are
 * counted in readingBytes and in `held.bytes`, which the caller gives back when it is done.
 */
function readBody(req: IncomingMessage, held: { bytes: number }): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer) => {
      held.bytes += chunk.length;
      readingBytes += chunk.length;
      if (held.bytes > MAX_WEBHOOK_BODY_BYTES) {
        req.off("data", onData);
        req.pause();
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks, held.bytes).toString("utf8")));
    req.once("error", reject);
    // The client went away before the end: nothing to answer.
    req.once("close", () => !req.complete && reject(new Error("request aborted")));
  });
}

const headerReader = (req: IncomingMessage) => (name: string) => {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(", ") : value;
};

/** Handles one request under /webhooks/: answers it, never throws. */
export function handleWebhookRequest(req: IncomingMessage, res: ServerResponse): void {
  const arrivedAt = performance.now();
  const path = (req.url ?? "/").split("?")[0] as string;
  const topic = topicOfWebhookPath(path);
  if (!topic) {
    send(res, arrivedAt, { status: 404, outcome: "rejected" });
    return;
  }
  if (req.method !== "POST") {
    send(res, arrivedAt, { status: 405, outcome: "rejected" }, { Allow: "POST" });
    return;
  }
  const declared = Number(req.headers["content-length"]);
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BODY_BYTES) {
    logger.warn({ path, limit: MAX_WEBHOOK_BODY_BYTES }, "webhook:rejected body too large");
    const rejected: IngestAnswer = { status: 413, outcome: "rejected" };
    countAnswer(topic, rejected);
    send(res, arrivedAt, rejected, { Connection: "close" });
    return;
  }
  probeEventLoopLag();
  const refused = refusal(Number.isFinite(declared) ? declared : 0);
  if (refused) {
    const answered = unavailable(refused);
    countAnswer(topic, answered);
    send(res, arrivedAt, answered);
    return;
  }
  inFlight++;
  const held = { bytes: 0 };
  const settle = () => {
    readingBytes -= held.bytes;
    held.bytes = 0;
  };
  void readBody(req, held)
    .then(async (rawBody) => {
      if (rawBody === null) {
        logger.warn({ path, limit: MAX_WEBHOOK_BODY_BYTES }, "webhook:rejected body too large");
        settle();
        const rejected: IngestAnswer = { status: 413, outcome: "rejected" };
        countAnswer(topic, rejected);
        send(res, arrivedAt, rejected, { Connection: "close" });
        return;
      }
      // The body now belongs to ingest (delivery-store counts it while it waits for its commit).
      settle();
      send(res, arrivedAt, await ingestDelivery({ topic, header: headerReader(req), rawBody, path }));
    })
    .catch((error: unknown) => {
      settle();
      if (req.complete) {
        logger.error({ err: error, path }, "webhook:not stored");
        send(res, arrivedAt, { status: 500, outcome: "rejected" });
      } else {
        res.destroy();
      }
    })
    .finally(() => {
      inFlight--;
      if (inFlight > 0) return;
      for (const resolve of idleWaiters) resolve();
      idleWaiters.clear();
    });
}

/** Deliveries being handled now. */
export function deliveriesInFlight(): number {
  return inFlight;
}

/**
 * For shutdown: from now on every new delivery is refused with 503 (Shopify retries it, on another
 * process or after the restart); resolves once every delivery already admitted has been answered and
 * every commit it started has settled.
 */
export async function drainIngest(): Promise<void> {
  shuttingDown = true;
  if (inFlight > 0) await new Promise<void>((resolve) => idleWaiters.add(resolve));
  await storeIdle();
}
