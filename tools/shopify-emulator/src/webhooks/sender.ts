// Delivers webhooks the way Shopify does: signed raw body, the X-Shopify-* header set, 5 s to answer,
// anything but 2xx (redirects included) is a failure, 8 retries with exponential backoff carrying the
// same webhook id and original payload, then the delivery is dropped for good. Test switches
// (behaviour.ts) add duplicates, reordering, delay and loss on top.
import { createHmac, randomUUID } from "node:crypto";
import { EventEmitter } from "node:events";
import { Agent, request, type Dispatcher } from "undici";
import type { EmulatedApp } from "../context";
import { BehaviourSwitches, shuffle } from "./behaviour";
import type { DeliveryTarget } from "./subscriptions";

export interface SenderOptions {
  app: EmulatedApp;
  /** Read on every wait, so a running emulator can be sped up: ctx.timeScale. */
  timeScale: () => number;
  /** Shopify: 5 s for the whole request (not scaled; it is the receiver's deadline). */
  timeoutMs?: number;
  /** Shopify: 1 s to connect. */
  connectTimeoutMs?: number;
  /** Shopify (since 2024-09): 8 retries over ~4 hours. */
  maxRetries?: number;
  /** First retry after this many ms (× timeScale), doubling: 1, 2, 4 … 128 min ≈ 4.25 h in total. */
  retryBaseMs?: number;
  /** Deliveries on the wire at once, across all receivers. */
  maxConcurrency?: number;
  /** Terminal deliveries kept in the log (oldest evicted first). */
  maxLogEntries?: number;
  dispatcher?: Dispatcher;
}

export type DeliveryStatus =
  | "held" // waiting in a reorder window
  | "scheduled" // waiting for its delay or a retry
  | "queued" // waiting for a free connection slot
  | "in_flight"
  | "delivered"
  | "failed" // every retry failed; never sent again
  | "dropped" // lost on purpose by the drop switch
  | "unsupported"; // pubsub:// or arn: endpoint, which the emulator cannot deliver to

export interface Attempt {
  n: number;
  at: string;
  status: number | null;
  error?: string;
  durationMs: number;
}

export interface DeliveryRecord {
  /** Unique per copy; equal to webhookId unless the duplicate switch made copies. */
  key: string;
  webhookId: string;
  copy: number;
  shop: string;
  topic: string;
  uri: string;
  apiVersion: string;
  name?: string;
  source: string;
  eventId: string;
  triggeredAt: string;
  createdAt: string;
  status: DeliveryStatus;
  attempts: Attempt[];
  nextAttemptAt: string | null;
  bodyBytes: number;
}

export interface DeliveryRequest {
  shop: string;
  topic: string;
  /** The exact body; it is signed and sent byte for byte. */
  body: string;
  target: DeliveryTarget;
  eventId: string;
  triggeredAt: Date;
  webhookId?: string;
  /** Send this signature instead of the real one (fuzzing the receiver's HMAC check). */
  hmacOverride?: string;
  /** Skip the behaviour switches for this delivery. */
  bypassBehaviour?: boolean;
}

interface Job {
  record: DeliveryRecord;
  body: Buffer;
  headers: Record<string, string>;
  timer: NodeJS.Timeout | null;
  /** Whether the job is currently counted as pending (not terminal). */
  live: boolean;
}

const TERMINAL: ReadonlySet<DeliveryStatus> = new Set(["delivered", "failed", "dropped", "unsupported"]);

export class WebhookSender {
  readonly behaviour = new BehaviourSwitches();
  /** Emits "settled" (DeliveryRecord) whenever a delivery reaches a terminal status. */
  readonly events = new EventEmitter();
  private readonly opts: Required<Omit<SenderOptions, "dispatcher" | "app" | "timeScale">>;
  private readonly dispatcher: Dispatcher;
  private readonly ownsDispatcher: boolean;
  private readonly log = new Map<string, DeliveryRecord>();
  private readonly jobs = new Map<string, Job>();
  private readonly waitingForSlot: Job[] = [];
  private readonly reorderBuffers = new Map<string, { jobs: Job[]; timer: NodeJS.Timeout | null }>();
  private inFlight = 0;
  private pending = 0;
  private idleWaiters: Array<() => void> = [];
  private closed = false;

  constructor(private readonly options: SenderOptions) {
    this.opts = {
      timeoutMs: options.timeoutMs ?? 5_000,
      connectTimeoutMs: options.connectTimeoutMs ?? 1_000,
      maxRetries: options.maxRetries ?? 8,
      retryBaseMs: options.retryBaseMs ?? 60_000,
      maxConcurrency: options.maxConcurrency ?? 256,
      maxLogEntries: options.maxLogEntries ?? 50_000,
    };
    this.ownsDispatcher = !options.dispatcher;
    this.dispatcher =
      options.dispatcher ??
      new Agent({
        connections: 128,
        keepAliveTimeout: 30_000,
        connect: { timeout: this.opts.connectTimeoutMs },
      });
  }

  sign(body: string | Buffer): string {
    return createHmac("sha256", this.options.app.apiSecret).update(body).digest("base64");
  }

  /** Queues one delivery (plus copies when the duplicate switch is on); returns the records. */
  enqueue(req: DeliveryRequest): DeliveryRecord[] {
    if (this.closed) throw new Error("WebhookSender is closed");
    const webhookId = req.webhookId ?? randomUUID();
    const body = Buffer.from(req.body, "utf8");
    const headers: Record<string, string> = {
      "content-type": "application/json",
      "user-agent": "Shopify-Captain-Hook",
      accept: "*/*",
      "x-shopify-topic": req.topic,
      "x-shopify-hmac-sha256": req.hmacOverride ?? this.sign(body),
      "x-shopify-shop-domain": req.shop,
      "x-shopify-api-version": req.target.apiVersion,
      "x-shopify-webhook-id": webhookId,
      "x-shopify-triggered-at": req.triggeredAt.toISOString(),
      "x-shopify-event-id": req.eventId,
    };
    if (req.target.name) headers["x-shopify-name"] = req.target.name;

    const behaviour = req.bypassBehaviour ? {} : this.behaviour.for(req.shop);
    const random = this.behaviour.random(req.shop);
    const dropped = behaviour.drop !== undefined && behaviour.drop > 0 && random() < behaviour.drop;
    const copies = dropped ? 1 : (behaviour.duplicate ?? 1);
    const records: DeliveryRecord[] = [];
    for (let copy = 1; copy <= copies; copy++) {
      let key = copy === 1 ? webhookId : `${webhookId}#${copy}`;
      // The same webhook id sent again while the first is still pending gets its own log entry.
      if (this.jobs.has(key)) key = `${key}#${randomUUID().slice(0, 8)}`;
      const record: DeliveryRecord = {
        key,
        webhookId,
        copy,
        shop: req.shop,
        topic: req.topic,
        uri: req.target.uri,
        apiVersion: req.target.apiVersion,
        ...(req.target.name && { name: req.target.name }),
        source: req.target.source,
        eventId: req.eventId,
        triggeredAt: headers["x-shopify-triggered-at"]!,
        createdAt: new Date().toISOString(),
        status: "scheduled",
        attempts: [],
        nextAttemptAt: null,
        bodyBytes: body.length,
      };
      records.push(record);
      const job: Job = { record, body, headers, timer: null, live: true };
      // Same webhook id on a retry of an earlier delivery (send route): replace the older log entry.
      this.log.delete(record.key);
      this.log.set(record.key, record);
      this.pending++;
      if (dropped) {
        this.settle(job, "dropped");
        continue;
      }
      if (!/^https?:\/\//i.test(record.uri)) {
        this.settle(job, "unsupported");
        continue;
      }
      this.jobs.set(record.key, job);
      if (behaviour.reorder)
        this.hold(job, behaviour.reorder, behaviour.reorderMaxWaitMs ?? 250, behaviour.delayMs ?? 0);
      else this.schedule(job, behaviour.delayMs ?? 0);
    }
    this.evict();
    return records;
  }

  /** Waits until no delivery is pending. `fastForward` releases reorder windows and runs delayed
   * deliveries and scheduled retries now instead of waiting for their backoff. */
  async flush({ fastForward = false, timeoutMs = 30_000 } = {}): Promise<{ pending: number }> {
    this.releaseAllHeld();
    if (fastForward) this.fastForward();
    if (this.pending === 0) return { pending: 0 };
    let timer: NodeJS.Timeout | undefined;
    let stopFastForward: NodeJS.Timeout | undefined;
    // Retries scheduled while flushing are fast-forwarded too.
    if (fastForward) stopFastForward = setInterval(() => this.fastForward(), 5);
    try {
      await Promise.race([
        new Promise<void>((resolve) => this.idleWaiters.push(resolve)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
      clearInterval(stopFastForward);
    }
    return { pending: this.pending };
  }

  deliveries(
    filter: { shop?: string; topic?: string; webhookId?: string; status?: string; limit?: number } = {},
  ): DeliveryRecord[] {
    const out: DeliveryRecord[] = [];
    for (const record of this.log.values()) {
      if (filter.shop && record.shop !== filter.shop) continue;
      if (filter.topic && record.topic !== filter.topic) continue;
      if (filter.webhookId && record.webhookId !== filter.webhookId) continue;
      if (filter.status && record.status !== filter.status) continue;
      out.push(record);
    }
    return filter.limit ? out.slice(-filter.limit) : out;
  }

  stats() {
    const counts: Partial<Record<DeliveryStatus, number>> = {};
    for (const record of this.log.values()) counts[record.status] = (counts[record.status] ?? 0) + 1;
    return { pending: this.pending, inFlight: this.inFlight, logged: this.log.size, byStatus: counts };
  }

  clearLog(): void {
    for (const [key, record] of this.log) if (TERMINAL.has(record.status)) this.log.delete(key);
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) if (job.timer) clearTimeout(job.timer);
    for (const buffer of this.reorderBuffers.values()) if (buffer.timer) clearTimeout(buffer.timer);
    this.jobs.clear();
    this.reorderBuffers.clear();
    this.waitingForSlot.length = 0;
    if (this.ownsDispatcher) await this.dispatcher.close();
  }

  // ---- pipeline ------------------------------------------------------------------------------

  private hold(job: Job, window: number, maxWaitMs: number, delayMs: number): void {
    job.record.status = "held";
    let buffer = this.reorderBuffers.get(job.record.shop);
    if (!buffer) {
      buffer = { jobs: [], timer: null };
      this.reorderBuffers.set(job.record.shop, buffer);
    }
    buffer.jobs.push(job);
    if (buffer.jobs.length >= window) this.release(job.record.shop, delayMs);
    else if (!buffer.timer) buffer.timer = setTimeout(() => this.release(job.record.shop, delayMs), maxWaitMs);
  }

  private release(shop: string, delayMs: number): void {
    const buffer = this.reorderBuffers.get(shop);
    if (!buffer) return;
    this.reorderBuffers.delete(shop);
    if (buffer.timer) clearTimeout(buffer.timer);
    for (const job of shuffle(buffer.jobs, this.behaviour.random(shop))) this.schedule(job, delayMs);
  }

  private releaseAllHeld(): void {
    for (const shop of [...this.reorderBuffers.keys()]) this.release(shop, this.behaviour.for(shop).delayMs ?? 0);
  }

  private fastForward(): void {
    for (const job of this.jobs.values()) {
      if (job.timer && job.record.status === "scheduled") {
        clearTimeout(job.timer);
        job.timer = null;
        this.dispatch(job);
      }
    }
  }

  private schedule(job: Job, delayMs: number): void {
    job.record.status = "scheduled";
    if (delayMs <= 0) {
      job.record.nextAttemptAt = null;
      this.dispatch(job);
      return;
    }
    job.record.nextAttemptAt = new Date(Date.now() + delayMs).toISOString();
    job.timer = setTimeout(() => {
      job.timer = null;
      this.dispatch(job);
    }, delayMs);
  }

  private dispatch(job: Job): void {
    if (this.closed) return;
    if (this.inFlight >= this.opts.maxConcurrency) {
      job.record.status = "queued";
      this.waitingForSlot.push(job);
      return;
    }
    this.inFlight++;
    job.record.status = "in_flight";
    job.record.nextAttemptAt = null;
    void this.attempt(job).finally(() => {
      this.inFlight--;
      const next = this.waitingForSlot.shift();
      if (next) this.dispatch(next);
    });
  }

  private async attempt(job: Job): Promise<void> {
    const record = job.record;
    const started = performance.now();
    const attempt: Attempt = {
      n: record.attempts.length + 1,
      at: new Date().toISOString(),
      status: null,
      durationMs: 0,
    };
    try {
      const response = await request(record.uri, {
        method: "POST",
        headers: job.headers,
        body: job.body,
        dispatcher: this.dispatcher,
        headersTimeout: this.opts.timeoutMs,
        bodyTimeout: this.opts.timeoutMs,
        signal: AbortSignal.timeout(this.opts.timeoutMs),
      });
      attempt.status = response.statusCode;
      await response.body.dump();
    } catch (error) {
      const e = error as Error & { code?: string };
      attempt.error =
        e.name === "TimeoutError" || e.code === "UND_ERR_HEADERS_TIMEOUT" ? "timeout" : (e.code ?? e.message);
    }
    attempt.durationMs = Math.round((performance.now() - started) * 10) / 10;
    record.attempts.push(attempt);
    if (this.closed) return;
    if (attempt.status !== null && attempt.status >= 200 && attempt.status < 300) {
      this.settle(job, "delivered");
      return;
    }
    const retriesDone = record.attempts.length - 1;
    if (retriesDone >= this.opts.maxRetries) {
      this.settle(job, "failed");
      return;
    }
    const backoff = this.opts.retryBaseMs * 2 ** retriesDone * this.options.timeScale();
    this.schedule(job, Math.max(1, Math.round(backoff)));
  }

  private settle(job: Job, status: DeliveryStatus): void {
    job.record.status = status;
    job.record.nextAttemptAt = null;
    this.jobs.delete(job.record.key);
    if (job.live) {
      job.live = false;
      this.pending--;
    }
    this.events.emit("settled", job.record);
    if (this.pending === 0 && this.idleWaiters.length) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }

  private evict(): void {
    if (this.log.size <= this.opts.maxLogEntries) return;
    for (const [key, record] of this.log) {
      if (this.log.size <= this.opts.maxLogEntries) break;
      if (TERMINAL.has(record.status)) this.log.delete(key);
    }
  }
}
