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
// - the signed body decides (signed-delivery.server.ts, docs/decisions/0016-trust-boundary.md): the
//   caller passes the topic of the route the delivery was posted to, and a delivery whose unsigned
//   headers (topic, shop) disagree with the route, its signed body or the stored shop is refused with
//   400 and stored nowhere;
// - a database failure answers 503, so Shopify retries later.
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";
import { recordDelivery, type DeliveryOutcome } from "~/observability/metrics.server";
import { securityEvent } from "~/observability/security.server";
import { verifyWebhook } from "~/shopify.server";
import { parseWebhookBody } from "~/sync/engine/webhook-body";
import { storeDelivery } from "./delivery-store.server";
import { resourceIdFor } from "./deliveries.server";
import { checkSignedDelivery, SHOP_NAMING_TOPICS, shopIdOf } from "./signed-delivery.server";
import { topicOfWebhookPath, type WebhookTopic } from "./topics";

/** Shopify's largest payloads (orders with hundreds of lines) stay well below this. */
export const MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024;

const HEADER = {
  eventId: "x-shopify-event-id",
  triggeredAt: "x-shopify-triggered-at",
} as const;

/**
 * The headers kept with a delivery (shown on its page): Shopify's own, by name. Any other header a
 * sender adds is not stored, so nothing unsigned and free-form (a place personal data could hide) is
 * kept beside the body.
 */
const STORED_HEADERS = [
  "x-shopify-topic",
  "x-shopify-shop-domain",
  "x-shopify-webhook-id",
  "x-shopify-api-version",
  "x-shopify-triggered-at",
  "x-shopify-event-id",
  "x-shopify-name",
  "x-shopify-sub-topic",
] as const;

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
 * The signed body, parsed. JSON.parse is exact for what ingest reads of a resource topic's body:
 * `admin_graphql_api_id`, a string, or a products/delete's numeric id (products' ids are below 2^53;
 * the lossless parser that processing needs for inventory ids costs several times more, on every
 * delivery). A body that names its shop is parsed losslessly: its shop id is compared exactly. Throws
 * SyntaxError for a body that is not JSON.
 */
function parseBody(topic: WebhookTopic, rawBody: string): unknown {
  return SHOP_NAMING_TOPICS.has(topic) ? parseWebhookBody(rawBody) : JSON.parse(rawBody);
}

/** The stored store's Shopify shop id, for the topics whose body names the shop (rare: no hot path). */
async function knownShopIdOf(topic: WebhookTopic, shop: string): Promise<string | null> {
  if (!SHOP_NAMING_TOPICS.has(topic)) return null;
  const store = await db.shopifyStore.findUnique({ where: { shop }, select: { shopifyId: true } });
  return shopIdOf(store?.shopifyId);
}

function parseTriggeredAt(value: string | null): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Ingests a delivery posted to the route of `routeTopic` (each webhook route passes its own topic;
 * a server that routes by path can use ingestWebhookAtPath). Counts every answer
 * (shop_sync_webhook_deliveries_total) by the route's topic and the outcome.
 */
export async function ingestWebhook(request: Request, routeTopic: WebhookTopic): Promise<Response> {
  const topic = routeTopic;
  let response: Response;
  try {
    response = await ingest(request, routeTopic);
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

/** Ingest for a server that dispatches `POST /webhooks/<topic>` by path: 404 for no subscribed topic. */
export function ingestWebhookAtPath(request: Request): Promise<Response> {
  const topic = topicOfWebhookPath(new URL(request.url).pathname);
  if (!topic) return Promise.resolve(answer(404, "rejected"));
  return ingestWebhook(request, topic);
}

async function ingest(request: Request, routeTopic: WebhookTopic): Promise<Response> {
  if (request.method !== "POST") return answer(405, "rejected");
  const rawBody = await readBody(request);
  if (rawBody === null) {
    logger.warn({ url: request.url, limit: MAX_WEBHOOK_BODY_BYTES }, "webhook:rejected body too large");
    return answer(413, "rejected");
  }

  const verified = await verifyWebhook(request, rawBody);
  if (!verified.valid) {
    if (verified.status === 401) {
      securityEvent("invalid_hmac", { topic: routeTopic, reason: verified.reason });
    } else {
      logger.warn(
        { status: verified.status, reason: verified.reason, url: request.url },
        "webhook:rejected by verification",
      );
    }
    return answer(verified.status, "rejected");
  }
  const { shop, webhookId, apiVersion } = verified;
  // Stored as the route's topic: Shopify's own spelling (products/update), as shopify.app.toml
  // subscribes it, and the header has to agree with it (checkSignedDelivery).
  const topic = routeTopic;
  let body: unknown;
  try {
    body = parseBody(topic, rawBody);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ url: request.url, reason }, "webhook:rejected malformed JSON");
    return answer(400, "rejected", "Malformed JSON body");
  }

  const log = logger.child({ shop, topic, webhookId });
  try {
    const refusal = checkSignedDelivery({
      routeTopic,
      headerTopic: request.headers.get("x-shopify-topic") ?? "",
      headerShop: shop,
      body,
      knownShopId: await knownShopIdOf(topic, shop),
    });
    if (refusal) {
      securityEvent(refusal.event, { shop, topic, webhookId, reason: refusal.reason });
      return answer(400, "rejected", `Refused: ${refusal.reason}`);
    }
  } catch (error) {
    log.error({ err: error }, "webhook:not stored");
    return answer(503, "rejected");
  }
  const resourceId = resourceIdFor(topic, body);
  try {
    const outcome = await storeDelivery({
      shop,
      webhookId,
      topic,
      eventId: request.headers.get(HEADER.eventId),
      triggeredAt: parseTriggeredAt(request.headers.get(HEADER.triggeredAt)),
      apiVersion,
      headers: Object.fromEntries(
        STORED_HEADERS.flatMap((name) => {
          const value = request.headers.get(name);
          return value === null ? [] : [[name, value]];
        }),
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
