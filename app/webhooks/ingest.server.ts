// Webhook ingest: verify → persist the raw delivery → enqueue its processing → answer. The one ingest
// code path: the app's server hands every `/webhooks/*` request to app/webhooks/http.server.ts, which
// reads the body and calls `ingestDelivery` (docs/decisions/0027-lean-ingest-server.md). The contract
// (docs/decisions/0010-webhook-ingest.md):
// - a delivery Shopify gets 200 for is on disk first (the row commits before the response);
// - (shop, X-Shopify-Webhook-Id) is unique: Shopify's retries and duplicates answer 200, change nothing;
// - processing is enqueued in the same transaction as the row, so neither exists without the other;
// - rows are written with group commit (delivery-store.server.ts): deliveries arriving together share
//   one transaction, and each is answered once that transaction committed;
// - nothing is processed inside Shopify's 5-second window;
// - bad input gets a clear status and stores nothing: 405 non-POST, 413 too large, 401 bad HMAC
//   (verification.server.ts, equal to the Shopify library's check), 400 missing headers, a shop header
//   that is not a shop domain, or malformed JSON;
// - the signed body decides (signed-delivery.server.ts, docs/decisions/0016-trust-boundary.md): the
//   topic of the path the delivery was posted to must be its X-Shopify-Topic, and a delivery whose
//   unsigned headers (topic, shop) disagree with the path, its signed body or the stored shop is refused
//   with 400 and stored nowhere;
// - a database failure, a full or slow queue answers 503 with Retry-After, so Shopify retries later
//   (docs/decisions/0028-ingest-overload-stalls-shutdown.md).
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";
import { recordDelivery, recordIngestRefusal, type DeliveryOutcome } from "~/observability/metrics.server";
import { securityEvent } from "~/observability/security.server";
import { verifyWebhook } from "~/shopify.server";
import { parseWebhookBody } from "~/sync/engine/webhook-body";
import { IngestUnavailable, storeDelivery, type RefusalReason } from "./delivery-store.server";
import { resourceIdFor } from "./deliveries.server";
import { checkSignedDelivery, SHOP_NAMING_TOPICS, shopIdOf } from "./signed-delivery.server";
import type { WebhookTopic } from "./topics";
import type { HeaderReader } from "./verification.server";

/** Shopify's largest payloads (orders with hundreds of lines) stay well below this. */
export const MAX_WEBHOOK_BODY_BYTES = 2 * 1024 * 1024;

/** Seconds Shopify is asked to wait before retrying a delivery refused with 503. */
export const RETRY_AFTER_SECONDS = 5;

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

/** What ingest answers: the status, the X-Shop-Sync-Ingest outcome, a short text body if any. */
export interface IngestAnswer {
  status: number;
  outcome: IngestOutcome;
  body?: string;
  /** Set on a 503: the Retry-After header. */
  retryAfterSeconds?: number;
}

/** A delivery as it arrived: the topic of its path, its headers and its whole body. */
export interface IncomingDelivery {
  topic: WebhookTopic;
  header: HeaderReader;
  rawBody: string;
  /** The request path, for logs. */
  path: string;
}

const answer = (status: number, outcome: IngestOutcome, body?: string): IngestAnswer => ({ status, outcome, body });

/** A 503 that Shopify retries, counted by why. */
export function unavailable(reason: RefusalReason): IngestAnswer {
  recordIngestRefusal(reason);
  return { status: 503, outcome: "rejected", retryAfterSeconds: RETRY_AFTER_SECONDS };
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

function parseTriggeredAt(value: string | undefined): Date | null {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** Counts an answer (shop_sync_webhook_deliveries_total) by the path's topic and the outcome. */
export function countAnswer(topic: string | null, answered: IngestAnswer): void {
  const counted: DeliveryOutcome =
    answered.outcome !== "rejected" ? answered.outcome : answered.status >= 500 ? "unavailable" : "invalid";
  recordDelivery(topic, counted);
}

/** Ingests one delivery posted to the path of `delivery.topic`, and counts its answer. */
export async function ingestDelivery(delivery: IncomingDelivery): Promise<IngestAnswer> {
  let answered: IngestAnswer;
  try {
    answered = await ingest(delivery);
  } catch (error) {
    recordDelivery(delivery.topic, "error");
    throw error;
  }
  countAnswer(delivery.topic, answered);
  return answered;
}

async function ingest({ topic, header, rawBody, path }: IncomingDelivery): Promise<IngestAnswer> {
  const verified = verifyWebhook(header, rawBody);
  if (!verified.valid) {
    if (verified.status === 401) {
      securityEvent("invalid_hmac", { topic, reason: verified.reason });
    } else {
      logger.warn({ status: verified.status, reason: verified.reason, path }, "webhook:rejected by verification");
    }
    return answer(verified.status, "rejected");
  }
  const { shop, webhookId, apiVersion } = verified;
  // Stored as the path's topic: Shopify's own spelling (products/update), as shopify.app.toml
  // subscribes it, and the header has to agree with it (checkSignedDelivery).
  let body: unknown;
  try {
    body = parseBody(topic, rawBody);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    logger.warn({ path, reason }, "webhook:rejected malformed JSON");
    return answer(400, "rejected", "Malformed JSON body");
  }

  const log = logger.child({ shop, topic, webhookId });
  try {
    const refusal = checkSignedDelivery({
      routeTopic: topic,
      headerTopic: header("x-shopify-topic") ?? "",
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
    return unavailable("database");
  }
  const resourceId = resourceIdFor(topic, body);
  try {
    const outcome = await storeDelivery({
      shop,
      webhookId,
      topic,
      eventId: header("x-shopify-event-id") ?? null,
      triggeredAt: parseTriggeredAt(header("x-shopify-triggered-at")),
      apiVersion,
      headers: Object.fromEntries(
        STORED_HEADERS.flatMap((name) => {
          const value = header(name);
          return value === undefined ? [] : [[name, value]];
        }),
      ),
      rawBody,
      resourceId,
    });
    log.info({ outcome }, "webhook:received");
    return answer(200, outcome);
  } catch (error) {
    // Never 200 for a delivery that is not on disk: Shopify retries a 5xx.
    if (error instanceof IngestUnavailable) {
      log.warn({ reason: error.reason }, "webhook:refused, ingest unavailable");
      return unavailable(error.reason);
    }
    log.error({ err: error }, "webhook:not stored");
    return unavailable("database");
  }
}
