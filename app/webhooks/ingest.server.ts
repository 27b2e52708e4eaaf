// Webhook ingest: verify → persist the raw delivery → enqueue its processing → 200. Every webhook
// route calls only `ingestWebhook`. The contract (docs/decisions/0010-webhook-ingest.md):
// - a delivery Shopify gets 200 for is on disk first (the row commits before the response);
// - (shop, X-Shopify-Webhook-Id) is unique: Shopify's retries and duplicates answer 200, change nothing;
// - processing is enqueued in the same transaction as the row, so neither exists without the other;
// - nothing is processed inside Shopify's 5-second window;
// - bad input gets a clear status and stores nothing: 405 non-POST, 413 too large, 401 bad HMAC
//   (the library's check), 400 missing headers or malformed JSON;
// - a database failure answers 503, so Shopify retries later.
import { InvalidShopError } from "@shopify/shopify-api";
import { db, prismaErrorCode } from "~/db.server";
import { logger } from "~/observability/logger.server";
import { recordDelivery, type DeliveryOutcome } from "~/observability/metrics.server";
import { authenticate } from "~/shopify.server";
import { parseWebhookBody } from "~/sync/engine/webhook-body";
import { enqueueProcessing, resourceIdFor } from "./events.server";

/** Shopify's largest payloads (orders with hundreds of lines) stay well below this. */
export const MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024;

const HEADER = {
  eventId: "x-shopify-event-id",
  triggeredAt: "x-shopify-triggered-at",
} as const;

export type IngestOutcome = "stored" | "duplicate" | "ignored" | "rejected";

function answer(status: number, outcome: IngestOutcome, body?: string): Response {
  return new Response(body ?? null, { status, headers: { "X-Shop-Sync-Ingest": outcome } });
}

async function readBody(request: Request): Promise<string | null> {
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > MAX_WEBHOOK_BODY_BYTES) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_WEBHOOK_BODY_BYTES) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

function isDatabaseUnavailable(error: unknown): boolean {
  const code = prismaErrorCode(error);
  return (
    // By name: on PostgreSQL the error classes are the generated client's own (app/db.server.ts).
    (error instanceof Error &&
      ["PrismaClientInitializationError", "PrismaClientRustPanicError"].includes(error.name)) ||
    (code !== null && /^P1\d{3}$/.test(code)) ||
    (error instanceof Error && /ECONNREFUSED|ECONNRESET|Connection terminated|database system is/i.test(error.message))
  );
}

/**
 * The resource a delivery is about, for its job key. Parsed again losslessly: the library's JSON.parse
 * rounds ids above 2^53 (products/delete). The lossless parse can fail where the library's did not
 * (JSON nested thousands deep overflows its reviver: RangeError); such a delivery is still authentic
 * and is stored (its processing dead-letters it), never answered 5xx (tests/webhooks/fuzz.test.ts).
 */
function resourceIdOf(topic: string, rawBody: string): string | null {
  try {
    return resourceIdFor(topic, parseWebhookBody(rawBody));
  } catch {
    return null;
  }
}

function parseTriggeredAt(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Counts every answer (shop_sync_webhook_deliveries_total) by topic and outcome. */
export async function ingestWebhook(request: Request): Promise<Response> {
  const topic = request.headers.get("x-shopify-topic");
  let response: Response;
  try {
    response = await ingest(request);
  } catch (error) {
    recordDelivery(topic, "error");
    throw error;
  }
  const outcome = response.headers.get("X-Shop-Sync-Ingest") as IngestOutcome;
  const counted: DeliveryOutcome =
    outcome !== "rejected" ? outcome : response.status >= 500 ? "unavailable" : "invalid";
  recordDelivery(topic, counted);
  return response;
}

async function ingest(request: Request): Promise<Response> {
  if (request.method !== "POST") return answer(405, "rejected");
  const rawBody = await readBody(request);
  if (rawBody === null) {
    logger.warn({ url: request.url, limit: MAX_WEBHOOK_BODY_BYTES }, "webhook:rejected body too large");
    return answer(413, "rejected");
  }

  // The library reads the body itself; give it an identical request.
  const replay = new Request(request.url, { method: "POST", headers: request.headers, body: rawBody });
  let delivery: Awaited<ReturnType<typeof authenticate.webhook>>;
  try {
    delivery = await authenticate.webhook(replay);
  } catch (thrown) {
    if (thrown instanceof Response) {
      logger.warn({ status: thrown.status, url: request.url }, "webhook:rejected by verification");
      return answer(thrown.status, "rejected");
    }
    if (thrown instanceof SyntaxError) {
      logger.warn({ url: request.url, reason: thrown.message }, "webhook:rejected malformed JSON");
      return answer(400, "rejected", "Malformed JSON body");
    }
    if (isDatabaseUnavailable(thrown)) {
      logger.error({ err: thrown }, "webhook:database unavailable during verification");
      return answer(503, "rejected");
    }
    // A header the library refuses by throwing rather than answering (X-Shopify-Shop-Domain that is
    // not a shop domain: InvalidShopError). Bad input, so 400, not the 500 an uncaught error became.
    if (thrown instanceof InvalidShopError) {
      logger.warn({ url: request.url, reason: thrown.message }, "webhook:rejected invalid shop domain");
      return answer(400, "rejected", "Invalid shop domain");
    }
    throw thrown;
  }

  const { shop, webhookId, apiVersion } = delivery;
  // The library reports topics in its enum spelling (PRODUCTS_UPDATE); we keep Shopify's own,
  // as the X-Shopify-Topic header and shopify.app.toml write it (products/update).
  const topic = request.headers.get("x-shopify-topic") ?? delivery.topic;
  const log = logger.child({ shop, topic, webhookId });
  try {
    const outcome = await db.$transaction(async (tx) => {
      const store = await tx.shopifyStore.findUnique({ where: { shop }, select: { id: true } });
      const ignored = !store;
      const event = await tx.shopifyWebhookEvent.create({
        data: {
          storeId: store?.id ?? null,
          shop,
          webhookId,
          topic,
          eventId: request.headers.get(HEADER.eventId),
          triggeredAt: parseTriggeredAt(request.headers.get(HEADER.triggeredAt)),
          apiVersion,
          headers: Object.fromEntries(
            [...request.headers].filter(([name]) => name.startsWith("x-shopify-") && name !== "x-shopify-hmac-sha256"),
          ),
          rawBody,
          resourceId: resourceIdOf(topic, rawBody),
          status: ignored ? "ignored" : "received",
          lastError: ignored ? "no store for this shop (not installed)" : null,
        },
        select: { id: true, shop: true, storeId: true, resourceId: true },
      });
      if (event.storeId !== null) await enqueueProcessing(tx, { ...event, storeId: event.storeId });
      return ignored ? ("ignored" as const) : ("stored" as const);
    });
    log.info({ outcome }, "webhook:received");
    return answer(200, outcome);
  } catch (error) {
    // The unique (shop, webhookId) key: Shopify sent this delivery before. The transaction rolled
    // back, so nothing was enqueued twice.
    if (prismaErrorCode(error) === "P2002") {
      log.info({ outcome: "duplicate" }, "webhook:received");
      return answer(200, "duplicate");
    }
    log.error({ err: error }, "webhook:not stored");
    // Never 200 for a delivery that is not on disk: Shopify retries a 5xx.
    return answer(503, "rejected");
  }
}

/** Webhook routes accept only POST. */
export const rejectNonPost = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
