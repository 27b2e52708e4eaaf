// Prometheus metrics (prom-client), served by app/routes/metrics.ts. One registry per process, kept on
// globalThis so Vite's dev-server reloads do not register every metric twice (prom-client throws then).
// Label values are bounded on purpose: topics are the subscribed ones or "other" (a fuzzer or a
// misconfigured sender must not create a series per garbage header), never shops.
import { timingSafeEqual } from "node:crypto";
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { oldestReadyJobAgeSeconds, queueDepth } from "~/sync/queue/queue.server";
import { isSubscribedTopic } from "~/webhooks/topics";

/** What ingest did with a delivery: the X-Shop-Sync-Ingest outcomes, with "rejected" split by cause. */
export type DeliveryOutcome = "stored" | "duplicate" | "ignored" | "invalid" | "unavailable" | "error";

function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    deliveries: new Counter({
      name: "shop_sync_webhook_deliveries_total",
      help: "Webhook deliveries answered by ingest, by topic and outcome (stored, duplicate, ignored, invalid, unavailable, error).",
      labelNames: ["topic", "outcome"] as const,
      registers: [registry],
    }),
    processingLag: new Histogram({
      name: "shop_sync_webhook_processing_lag_seconds",
      help: "From a delivery's receipt (receivedAt) to its processing (processedAt).",
      labelNames: ["topic"] as const,
      // Seconds: a burst is applied within a second or two; minutes mean the queue is behind.
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900, 3600],
      registers: [registry],
    }),
    ackSeconds: new Histogram({
      name: "shop_sync_webhook_ack_seconds",
      help: "From a webhook request's headers read by the server to its answer written, by status class (2xx, 4xx, 5xx). Shopify gives up on an answer after 5 s and retries the delivery.",
      labelNames: ["status"] as const,
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5, 10],
      registers: [registry],
    }),
    ingestBatchSize: new Histogram({
      name: "shop_sync_webhook_ingest_batch_deliveries",
      help: "Deliveries written per ingest transaction (group commit): 1 when traffic is light, more under a burst.",
      buckets: [1, 2, 5, 10, 20, 50, 100, 200],
      registers: [registry],
    }),
    ingestRefusals: new Counter({
      name: "shop_sync_webhook_refusals_total",
      help: "Webhook deliveries ingest answered 503 with Retry-After (also counted as outcome=unavailable in shop_sync_webhook_deliveries_total), by reason: queue_full, queue_wait, commit_timeout, in_flight, event_loop_lag, shutting_down, database.",
      labelNames: ["reason"] as const,
      registers: [registry],
    }),
    deadLetters: new Counter({
      name: "shop_sync_webhook_dead_letters_total",
      help: "Webhook deliveries dead-lettered after their job failed for good.",
      labelNames: ["topic"] as const,
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: "shop_sync_job_queue_jobs",
      help: "Jobs in the queue by state (ready, scheduled, running, failed), read at scrape time.",
      labelNames: ["state"] as const,
      registers: [registry],
      async collect() {
        const depth = await queueDepth();
        for (const [state, count] of Object.entries(depth)) this.set({ state }, count);
      },
    }),
    securityEvents: new Counter({
      name: "shop_sync_security_events_total",
      help: "Requests refused or actions skipped at the trust boundary, by event (invalid_hmac, topic_mismatch, shop_mismatch, shop_id_mismatch, body_mismatch, session_token_invalid, destructive_refused, replay_refused) and topic.",
      labelNames: ["event", "topic"] as const,
      registers: [registry],
    }),
    oldestReadyJob: new Gauge({
      name: "shop_sync_job_queue_oldest_ready_seconds",
      help: "Seconds the oldest job that is ready to run has waited for a worker (0 when none waits), read at scrape time.",
      registers: [registry],
      async collect() {
        this.set(await oldestReadyJobAgeSeconds());
      },
    }),
    syncJobsFinished: new Counter({
      name: "shop_sync_sync_jobs_finished_total",
      help: "Sync jobs (full, incremental, reconcile) that finished, by kind, resource and status (succeeded, failed).",
      labelNames: ["kind", "resource", "status"] as const,
      registers: [registry],
    }),
    // The Admin API client observes these (app/admin-api); defined here so dashboards exist first.
    adminApiCost: new Counter({
      name: "shop_sync_admin_api_cost_points_total",
      help: "Admin GraphQL query cost points (extensions.cost), by operation and kind (requested, actual).",
      labelNames: ["operation", "kind"] as const,
      registers: [registry],
    }),
    adminApiThrottles: new Counter({
      name: "shop_sync_admin_api_throttled_total",
      help: "Admin GraphQL requests answered THROTTLED (or HTTP 429), by operation.",
      labelNames: ["operation"] as const,
      registers: [registry],
    }),
    adminApiCircuitOpen: new Counter({
      name: "shop_sync_admin_api_circuit_open_total",
      help: "Admin GraphQL calls refused at once because the shop's circuit breaker is open (its API kept failing), by operation.",
      labelNames: ["operation"] as const,
      registers: [registry],
    }),
  };
}

declare global {
  var shopSyncMetrics: ReturnType<typeof createMetrics> | undefined;
}

export function metrics() {
  globalThis.shopSyncMetrics ??= createMetrics();
  return globalThis.shopSyncMetrics;
}

/** A topic as a label value: subscribed topics as they are, anything else "other". */
export function topicLabel(topic: string | null | undefined): string {
  return topic && isSubscribedTopic(topic) ? topic : "other";
}

export function recordDelivery(topic: string | null | undefined, outcome: DeliveryOutcome): void {
  metrics().deliveries.inc({ topic: topicLabel(topic), outcome });
}

export function recordProcessed(topic: string, receivedAt: Date, processedAt = new Date()): void {
  metrics().processingLag.observe(
    { topic: topicLabel(topic) },
    Math.max(0, (processedAt.getTime() - receivedAt.getTime()) / 1000),
  );
}

/** A webhook request answered `seconds` after its headers were read (label: the status class). */
export function recordWebhookAnswer(status: number, seconds: number): void {
  metrics().ackSeconds.observe({ status: `${Math.floor(status / 100)}xx` }, seconds);
}

export function recordIngestBatch(deliveries: number): void {
  metrics().ingestBatchSize.observe(deliveries);
}

export function recordIngestRefusal(reason: string): void {
  metrics().ingestRefusals.inc({ reason });
}

export function recordDeadLetter(topic: string): void {
  metrics().deadLetters.inc({ topic: topicLabel(topic) });
}

/** A sync job's end; kind and resource are the job row's (a fixed set each), status its final one. */
export function recordSyncJobFinished(job: { kind: string; resource: string; status: string }): void {
  metrics().syncJobsFinished.inc({ kind: job.kind, resource: job.resource, status: job.status });
}

/**
 * What the trust boundary refused (docs/decisions/0016-trust-boundary.md). Each has its own label
 * value, so an alert can tell forged signatures from rewritten headers from replayed destructive
 * deliveries.
 */
export const SECURITY_EVENTS = [
  "invalid_hmac",
  "topic_mismatch",
  "shop_mismatch",
  "shop_id_mismatch",
  "body_mismatch",
  "session_token_invalid",
  "destructive_refused",
  "replay_refused",
] as const;
export type SecurityEvent = (typeof SECURITY_EVENTS)[number];

/** Counts a security event; `topic` is a webhook topic when there is one ("none" otherwise). */
export function recordSecurityEvent(event: SecurityEvent, topic?: string | null): void {
  metrics().securityEvents.inc({ event, topic: topic === undefined || topic === null ? "none" : topicLabel(topic) });
}

/**
 * Whether a scrape may read the metrics: without a configured token, always outside production (a
 * private network) and never in production; with one, only with `Authorization: Bearer <token>`
 * (compared in constant time).
 */
export function scrapeAllowed(request: Request, token: string | undefined, production = false): boolean {
  // In production the metrics are served only to a scraper that holds the token.
  if (!token) return !production;
  const given = Buffer.from(request.headers.get("authorization") ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The exposition text and its content type, for the /metrics route. */
export async function scrapeMetrics(): Promise<{ body: string; contentType: string }> {
  const { registry } = metrics();
  return { body: await registry.metrics(), contentType: registry.contentType };
}
