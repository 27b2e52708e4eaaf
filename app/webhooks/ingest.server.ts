// Webhook ingest: verify → persist the raw delivery → enqueue its processing → 200. Every webhook
// route calls only `ingestWebhook`. The contract (docs/decisions/0010-webhook-ingest.md):
// - a delivery Shopify gets 200 for is on disk first (the row commits before the response);
// - (shop, X-Shopify-Webhook-Id) is unique: Shopify's retries and duplicates answer 200, change nothing;
// - processing is enqueued in the same transaction as the row, so neither exists without the other;
// - rows are written with group commit (delivery-store.server.ts): deliveries arriving together share
//   one transaction, and each is answered once that transaction committed;
// - nothing is processed inside Shopify's 5-second window;
// - bad input gets a clear status and stores nothing: 405 non-POST, 413 too large, 401 bad HMAC
//   (the library's check, verifyWebhook in shopify.server.ts), 400 missing headers, a shop header
//   that is not a shop domain, or malformed JSON;
// - a database failure answers 503, so Shopify retries later.
import { logger } from "~/observability/logger.server";
import { recordDelivery, type DeliveryOutcome } from "~/observability/metrics.server";
import { verifyWebhook } from "~/shopify.server";
import { storeDelivery } from "./delivery-store.server";
import { resourceIdFor } from "./events.server";

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

/**
 * The resource a delivery is about (the UI shows a product's last delivery). JSON.parse is exact
 * here: resourceIdFor reads `admin_graphql_api_id`, a string, or a products/delete's numeric id, and
 * products' ids are below 2^53 (the lossless parser that processing needs for inventory ids costs
 * several times more, on every delivery). Throws SyntaxError for a body that is not JSON.
 */
function resourceIdOf(topic: string, rawBody: string): string | null {
  return resourceIdFor(topic, JSON.parse(rawBody));
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

  const verified = await verifyWebhook(request, rawBody);
  if (!verified.valid) {
    logger.warn(
      { status: verified.status, reason: verified.reason, url: request.url },
      "webhook:rejected by verification",
    );
    return answer(verified.status, "rejected");
  }
  const { shop, webhookId, apiVersion } = verified;
  // Shopify's own spelling of the topic, as the X-Shopify-Topic header and shopify.app.toml write it
  // (products/update).
  const topic = request.headers.get("x-shopify-topic") ?? verified.topic;
  let resourceId: string | null;
  try {
    resourceId = resourceIdOf(topic, rawBody);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ url: request.url, reason }, "webhook:rejected malformed JSON");
    return answer(400, "rejected", "Malformed JSON body");
  }

  const log = logger.child({ shop, topic, webhookId });
  try {
    const outcome = await storeDelivery({
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
      resourceId,
    });
    log.info({ outcome }, "webhook:received");
    return answer(200, outcome);
  } catch (error) {
    log.error({ err: error }, "webhook:not stored");
    // Never 200 for a delivery that is not on disk: Shopify retries a 5xx.
    return answer(503, "rejected");
  }
}

/** Webhook routes accept only POST. */
export const rejectNonPost = () => new Response(null, { status: 405, headers: { Allow: "POST" } });
