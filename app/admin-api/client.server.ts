// The Admin GraphQL client every Shopify call goes through. It takes the library's `admin` context
// (from authenticate.admin, or — for background code — a source that calls unauthenticated.admin(shop),
// see ./for-shop.server.ts), sends a named operation, and parses the response with zod, so callers
// get typed data or a typed error, never an unchecked shape.
//
// Per shop (state shared by every client of that shop in this process):
// - pacing: a model of Shopify's cost bucket (./pacing.server.ts) holds a query until the bucket
//   holds its expected cost, so under normal running no request is THROTTLED;
// - retries: THROTTLED waits (requested − available) / restoreRate; 429 waits Retry-After; 5xx and
//   network errors back off exponentially with jitter. The library's own retries stay off (tries: 1)
//   so every attempt is paced, counted and logged here;
// - a circuit breaker (./circuit-breaker.server.ts): a shop whose API keeps failing is left alone
//   for a cool-down, and calls fail fast with a retryable error;
// - every attempt is logged (`admin:call`, with its cost) and emitted to onAdminApiEvent listeners.
//
// API (stable; the bulk sync uses it too):
//   adminClientFor(shop)                                   → AdminGraphqlClient  (./for-shop.server.ts)
//   client.query(document, schema, variables?, options?)   → Promise<T>
//   client.request(document, schema, variables?, options?) → Promise<{ data: T; cost: QueryCost | null; attempts }>
//   AdminApiError { code, retryable, details }             (CircuitOpenError is one, retryable)
//   onAdminApiEvent(listener)                               (./events.server.ts; metrics are recorded too)
import { GraphqlQueryError, HttpRequestError, HttpResponseError, HttpThrottlingError } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import type pino from "pino";
import { z } from "zod";
import { logger as appLogger } from "~/observability/logger.server";
import { metrics } from "~/observability/metrics.server";
import { protectedFieldOf } from "~/sync/engine/customer-data";
import { CircuitBreaker, DEFAULT_CIRCUIT, type CircuitBreakerOptions } from "./circuit-breaker.server";
import { systemClock, type Clock } from "./clock.server";
import { emitAdminApiEvent, type AdminCallOutcome, type QueryCost } from "./events.server";
import { CostBucket, costKey, operationName } from "./pacing.server";
import { cappedBackoffMs } from "~/lib/backoff";
import { toError } from "~/lib/errors";

export type { QueryCost, ThrottleStatus } from "./events.server";

/** The part of the library's AdminApiContext we use. */
export interface LibraryAdminContext {
  graphql(
    query: string,
    options?: { variables?: Record<string, unknown>; tries?: number; signal?: AbortSignal },
  ): Promise<Response>;
}

/**
 * Where a client gets the library's admin context for each attempt. Background code uses
 * `unauthenticated.admin(shop)` behind one of these, so an expiring token is refreshed between calls
 * of a long sync (./for-shop.server.ts).
 */
export interface AdminContextSource {
  admin(): Promise<LibraryAdminContext>;
  /** Forgets a cached context, e.g. after Shopify answered 401 to its token. */
  invalidate?(): void;
}

export type AdminApiErrorCode =
  | "GRAPHQL_ERRORS"
  | "BAD_RESPONSE"
  | "HTTP_ERROR"
  | "UNAUTHORIZED"
  | "NO_SESSION"
  | "COST_EXCEEDS_BUCKET"
  | "RETRIES_EXHAUSTED"
  | "CIRCUIT_OPEN";

export class AdminApiError extends Error {
  readonly code: AdminApiErrorCode;
  /** Whether trying again later may succeed (the job should be retried, not failed for good). */
  readonly retryable: boolean;

  constructor(
    message: string,
    readonly details: unknown,
    options: { code?: AdminApiErrorCode; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AdminApiError";
    this.code = options.code ?? "GRAPHQL_ERRORS";
    this.retryable = options.retryable ?? false;
  }
}

export class CircuitOpenError extends AdminApiError {
  constructor(
    readonly shop: string,
    readonly retryInMs: number,
  ) {
    super(`Admin API circuit for ${shop} is open (repeated failures); retry in ${retryInMs} ms`, null, {
      code: "CIRCUIT_OPEN",
      retryable: true,
    });
    this.name = "CircuitOpenError";
  }
}

export interface RetryPolicy {
  /** Attempts per call, the first included. */
  maxAttempts: number;
  /** Backoff for 5xx/network/429-without-Retry-After: min(maxDelayMs, baseDelayMs · 2^(n−1)), jittered. */
  baseDelayMs: number;
  maxDelayMs: number;
}

// Six attempts over roughly 15 s ride out a Shopify blip; longer outages are the job queue's to
// retry (its backoff is minutes to hours) and the circuit breaker's to stop.
export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 8_000 };

/** The Admin API state of one shop in this process: its bucket model and its circuit. */
export interface ShopApiState {
  bucket: CostBucket;
  breaker: CircuitBreaker;
}

const shopStates = new Map<string, ShopApiState>();

/** The shared per-shop state (every client of one shop in this process paces against one bucket). */
export function shopApiState(
  shop: string,
  clock: Clock = systemClock,
  circuit: CircuitBreakerOptions = DEFAULT_CIRCUIT,
): ShopApiState {
  let state = shopStates.get(shop);
  if (!state) {
    state = { bucket: new CostBucket(clock), breaker: new CircuitBreaker(clock, circuit) };
    shopStates.set(shop, state);
  }
  return state;
}

/** Forgets every shop's bucket model and circuit (tests). */
export function resetShopApiStates(): void {
  shopStates.clear();
}

export interface AdminClientOptions {
  /** The shop, for logs and the shared per-shop state; without it the client has state of its own. */
  shop?: string;
  clock?: Clock;
  retry?: Partial<RetryPolicy>;
  circuit?: CircuitBreakerOptions;
  /** Pass explicit state (tests); default: shopApiState(shop). */
  state?: ShopApiState;
  random?: () => number;
  logger?: pino.Logger;
}

export interface CallOptions {
  signal?: AbortSignal;
}

export interface AdminResponse<T> {
  data: T;
  /** `extensions.cost` of the successful attempt (null if Shopify sent none). */
  cost: QueryCost | null;
  attempts: number;
  /**
   * Protected customer data Shopify redacted in this answer ("Order.email", "MailingAddress.zip", …;
   * field names, never values): those fields are null in `data` (see redactionsOf).
   */
  redactedFields: string[];
}

const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});

const costSchema = z.object({
  requestedQueryCost: z.number(),
  actualQueryCost: z.number().nullable(),
  throttleStatus: throttleStatusSchema,
});

const extensionsSchema = z.object({ cost: costSchema.optional() }).passthrough();

const responseEnvelope = z.object({
  data: z.unknown().optional(),
  errors: z.unknown().optional(),
  extensions: z.unknown().optional(),
});

const graphqlErrorSchema = z
  .object({
    message: z.string().optional(),
    extensions: z.object({ code: z.string().optional() }).passthrough().optional(),
  })
  .passthrough();

/** The body the library attaches to GraphqlQueryError: graphql-client's response. */
const failedBodySchema = z
  .object({
    errors: z
      .object({ graphQLErrors: z.array(graphqlErrorSchema).optional() })
      .passthrough()
      .optional(),
    data: z.unknown().optional(),
    extensions: z.unknown().optional(),
  })
  .passthrough();

function costOf(extensions: unknown): QueryCost | null {
  const parsed = extensionsSchema.safeParse(extensions);
  return parsed.success ? (parsed.data.cost ?? null) : null;
}

/**
 * Shopify answers a field of protected customer data the app is not approved for with null and an
 * `errors[]` entry in an HTTP 200 ("This app is not approved to access the Customer object. See …",
 * with the field's path; docs/decisions/0023-protected-customer-data.md). Such an answer is data, not
 * a failure: the names of the redacted fields ("Customer.firstName"), or null when any error is
 * something else — a whole object denied (its path ends at a null root or a null parent), a missing
 * scope, anything unknown — and the call fails as before. Only the four protected customer fields
 * (app/sync/engine/customer-data.ts protectedFieldOf) are redacted one by one.
 */
export function redactionsOf(data: unknown, errors: readonly unknown[]): string[] | null {
  if (!errors.length || !data || typeof data !== "object") return null;
  const fields = new Set<string>();
  for (const error of errors) {
    const parsed = redactionErrorSchema.safeParse(error);
    if (!parsed.success) return null;
    const { message, path } = parsed.data;
    const named = /^This app is not approved to (?:access the (\w+) object|use the (\w+) field)\b/.exec(message);
    const field = path[path.length - 1];
    if (!named || path.length < 2 || typeof field !== "string") return null;
    // The field itself is null inside an object that is there: a field redacted, not an object denied.
    let parent: unknown = data;
    for (const key of path.slice(0, -1)) parent = (parent as Record<string | number, unknown> | null)?.[key] ?? null;
    if (!parent || typeof parent !== "object" || (parent as Record<string, unknown>)[field] !== null) return null;
    const name = `${named[1] ?? named[2]}.${field}`;
    // Only Shopify's protected customer fields (name, email, phone, address) are redacted one by one;
    // anything else null with this message is an object denied (Order.customer → "Customer object").
    if (!protectedFieldOf(name)) return null;
    fields.add(name);
  }
  return [...fields].sort();
}

const redactionErrorSchema = z.object({
  message: z.string(),
  path: z.array(z.union([z.string(), z.number()])),
});

type Attempt<T> =
  | { kind: "ok"; data: T; cost: QueryCost | null; redactedFields: string[] }
  | { kind: "retry"; outcome: AdminCallOutcome; cost: QueryCost | null; delayMs: number | null; error: Error }
  | { kind: "unauthorized"; error: Error }
  | { kind: "fail"; error: AdminApiError; cost: QueryCost | null };

function isSource(value: LibraryAdminContext | AdminContextSource): value is AdminContextSource {
  return typeof (value as Partial<AdminContextSource>).admin === "function";
}

export class AdminGraphqlClient {
  readonly shop: string;
  private readonly source: AdminContextSource;
  private readonly clock: Clock;
  private readonly retry: RetryPolicy;
  private readonly state: ShopApiState;
  private readonly random: () => number;
  private readonly log: pino.Logger;

  constructor(admin: LibraryAdminContext | AdminContextSource, options: AdminClientOptions = {}) {
    this.source = isSource(admin) ? admin : { admin: async () => admin };
    this.shop = options.shop ?? "unknown";
    this.clock = options.clock ?? systemClock;
    this.retry = { ...DEFAULT_RETRY, ...options.retry };
    this.state =
      options.state ??
      (options.shop
        ? shopApiState(options.shop, this.clock, options.circuit)
        : { bucket: new CostBucket(this.clock), breaker: new CircuitBreaker(this.clock, options.circuit) });
    this.random = options.random ?? Math.random;
    this.log = (options.logger ?? appLogger).child({ component: "admin-api", shop: this.shop });
  }

  /** Sends `document` and returns its `data`, parsed by `schema`. */
  async query<T>(
    document: string,
    schema: z.ZodType<T>,
    variables?: Record<string, unknown>,
    options?: CallOptions,
  ): Promise<T> {
    return (await this.request(document, schema, variables, options)).data;
  }

  /** Like query, with the cost Shopify charged (for costSpent) and the number of attempts. */
  async request<T>(
    document: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    variables?: Record<string, unknown>,
    options: CallOptions = {},
  ): Promise<AdminResponse<T>> {
    const operation = operationName(document);
    const key = costKey(document, variables);
    const { bucket, breaker } = this.state;
    let reauthorized = false;
    for (let attempt = 1; ; attempt++) {
      if (!breaker.tryAcquire()) {
        const error = new CircuitOpenError(this.shop, breaker.retryInMs());
        this.report({ operation, attempt, outcome: "circuit_open", durationMs: 0, pacedMs: 0, cost: null, error });
        throw error;
      }
      let admission: Awaited<ReturnType<CostBucket["admit"]>>;
      try {
        admission = await bucket.admit(key, options.signal);
      } catch (error) {
        breaker.recordSuccess(); // nothing was sent: release a half-open trial
        if (error instanceof RangeError) {
          throw new AdminApiError(error.message, { operation }, { code: "COST_EXCEEDS_BUCKET", cause: error });
        }
        throw error;
      }
      const started = this.clock.now();
      let result: Attempt<T>;
      try {
        result = await this.attempt(document, schema, variables, options.signal);
      } catch (aborted) {
        // Only an abort gets here: release the reservation (and a half-open trial) and stop.
        bucket.settle(admission.ticket, key, null);
        breaker.recordSuccess();
        throw aborted;
      }
      bucket.settle(admission.ticket, key, result.kind === "unauthorized" ? null : result.cost);
      const base = { operation, attempt, durationMs: this.clock.now() - started, pacedMs: admission.pacedMs };

      if (result.kind === "ok") {
        breaker.recordSuccess();
        this.report({ ...base, outcome: "ok", cost: result.cost });
        if (result.redactedFields.length) {
          this.log.warn({ operation, redactedFields: result.redactedFields }, "admin:customer-data-redacted");
        }
        return { data: result.data, cost: result.cost, attempts: attempt, redactedFields: result.redactedFields };
      }
      if (result.kind === "fail") {
        breaker.recordSuccess(); // Shopify answered: the shop's API is up, the request was wrong
        this.report({ ...base, outcome: "error", cost: result.cost, error: result.error });
        throw result.error;
      }
      if (result.kind === "unauthorized") {
        breaker.recordSuccess();
        this.report({ ...base, outcome: "unauthorized", cost: null, error: result.error });
        // A token Shopify no longer accepts: take a fresh context (the library refreshes an expiring
        // token when it loads the session) and try once more.
        if (!reauthorized && this.source.invalidate) {
          reauthorized = true;
          this.source.invalidate();
          continue;
        }
        throw new AdminApiError(`Admin API refused the access token for ${this.shop}`, null, {
          code: "UNAUTHORIZED",
          cause: result.error,
        });
      }

      // Retryable. THROTTLED is not a sign of an unhealthy shop (pacing will wait it out).
      if (result.outcome === "throttled") breaker.recordSuccess();
      else breaker.recordFailure();
      if (attempt >= this.retry.maxAttempts) {
        this.report({ ...base, outcome: result.outcome, cost: result.cost, error: result.error });
        throw new AdminApiError(
          `Admin API ${operation} failed after ${attempt} attempts: ${result.error.message}`,
          { operation, outcome: result.outcome },
          { code: "RETRIES_EXHAUSTED", retryable: true, cause: result.error },
        );
      }
      const delay = this.retryDelay(result, attempt);
      this.report({ ...base, outcome: result.outcome, cost: result.cost, retryInMs: delay, error: result.error });
      await this.clock.sleep(delay, options.signal);
    }
  }

  /**
   * How long to wait before the next attempt. THROTTLED: the bucket model now holds Shopify's own
   * throttleStatus, so pacing waits (requested − available) / restoreRate on the next admit; only a
   * little jitter is added here, so shops' retries do not align. 429: Retry-After. Otherwise capped
   * exponential backoff, jittered into [50%, 100%].
   */
  private retryDelay(result: Extract<Attempt<unknown>, { kind: "retry" }>, attempt: number): number {
    if (result.outcome === "throttled") return Math.round(this.random() * 250);
    if (result.delayMs !== null) return result.delayMs;
    return cappedBackoffMs(attempt, { baseMs: this.retry.baseDelayMs, maxMs: this.retry.maxDelayMs }, this.random);
  }

  private async attempt<T>(
    document: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    variables: Record<string, unknown> | undefined,
    signal: AbortSignal | undefined,
  ): Promise<Attempt<T>> {
    let response: Response;
    try {
      const admin = await this.source.admin();
      // tries: 1 — the library's own retry (429/503 only, unpaced) stays off; we retry here.
      response = await admin.graphql(document, { variables, tries: 1, signal });
    } catch (thrown) {
      return this.classify(thrown, schema);
    }
    let body: z.infer<typeof responseEnvelope>;
    try {
      body = responseEnvelope.parse(await response.json());
    } catch (thrown) {
      // A body cut off mid-way (connection reset while reading) is a network failure.
      return { kind: "retry", outcome: "network", cost: null, delayMs: null, error: toError(thrown) };
    }
    const cost = costOf(body.extensions);
    if (body.errors) {
      const redacted = Array.isArray(body.errors) ? redactionsOf(body.data, body.errors) : null;
      if (redacted) return this.parsed(schema, body.data, cost, redacted);
      return {
        kind: "fail",
        cost,
        error: new AdminApiError("Admin API returned errors", body.errors, { code: "GRAPHQL_ERRORS" }),
      };
    }
    return this.parsed(schema, body.data, cost, []);
  }

  private parsed<T>(
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    data: unknown,
    cost: QueryCost | null,
    redactedFields: string[],
  ): Attempt<T> {
    const parsed = schema.safeParse(data);
    if (!parsed.success) {
      return {
        kind: "fail",
        cost,
        error: new AdminApiError(`Admin API response did not match the expected shape: ${parsed.error.message}`, data, {
          code: "BAD_RESPONSE",
        }),
      };
    }
    return { kind: "ok", data: parsed.data, cost, redactedFields };
  }

  /** Sorts what admin.graphql threw into retry / re-authorise / fail (or data Shopify redacted). */
  private async classify<T>(thrown: unknown, schema: z.ZodType<T, z.ZodTypeDef, unknown>): Promise<Attempt<T>> {
    const error = toError(thrown);
    if (thrown instanceof GraphqlQueryError) {
      const body = failedBodySchema.safeParse(thrown.body);
      const errors = body.success ? (body.data.errors?.graphQLErrors ?? []) : [];
      const cost = body.success ? costOf(body.data.extensions) : null;
      if (errors.some((e) => e.extensions?.code === "THROTTLED")) {
        return { kind: "retry", outcome: "throttled", cost, delayMs: null, error };
      }
      // The library throws on any `errors` entry, also when Shopify answered with data and only
      // redacted protected customer data in it.
      const redacted = body.success ? redactionsOf(body.data.data, errors) : null;
      if (redacted) return this.parsed(schema, body.success ? body.data.data : undefined, cost, redacted);
      return {
        kind: "fail",
        cost,
        error: new AdminApiError(`Admin API returned errors: ${error.message}`, errors, {
          code: "GRAPHQL_ERRORS",
          cause: thrown,
        }),
      };
    }
    if (thrown instanceof HttpThrottlingError) {
      const retryAfter = thrown.response.retryAfter;
      return {
        kind: "retry",
        outcome: "http_429",
        cost: null,
        delayMs: retryAfter !== undefined && Number.isFinite(retryAfter) ? Math.ceil(retryAfter * 1000) : null,
        error,
      };
    }
    if (thrown instanceof HttpResponseError) {
      return classifyStatus(thrown.response.code, thrown.response.body, thrown, Number.NaN);
    }
    // The request-bound context (authenticate.admin's `admin`, afterAuth's) throws Shopify's HTTP error
    // as a Response (the library's handleClientError), not as HttpResponseError: without this, a 423
    // (locked shop) would be retried as a network error for the whole retry budget.
    if (thrown instanceof Response) {
      const body = await thrown.text().catch(() => null);
      const retryAfter = Number(thrown.headers.get("retry-after") ?? Number.NaN);
      return classifyStatus(thrown.status, body, new Error(`HTTP ${thrown.status}: ${body ?? ""}`), retryAfter);
    }
    if (thrown instanceof HttpRequestError || thrown instanceof TypeError) {
      // No response at all: connection refused or reset, DNS, timeout.
      return { kind: "retry", outcome: "network", cost: null, delayMs: null, error };
    }
    if (thrown instanceof AdminApiError) return { kind: "fail", cost: null, error: thrown };
    if (error.name === "AbortError" || error.name === "TimeoutError") throw thrown;
    // unauthenticated.admin(shop) with no offline session stored. (The library's class sets no `name`:
    // it is "Error", so only the class tells.)
    if (thrown instanceof SessionNotFoundError) {
      return {
        kind: "fail",
        cost: null,
        error: new AdminApiError(`no offline session for ${this.shop}`, null, { code: "NO_SESSION", cause: thrown }),
      };
    }
    // Anything else from the library or the token refresh (a failed refresh is a network or 5xx
    // problem at Shopify's token endpoint) is treated as transient.
    return { kind: "retry", outcome: "network", cost: null, delayMs: null, error };
  }

  private report(event: {
    operation: string;
    attempt: number;
    outcome: AdminCallOutcome;
    durationMs: number;
    pacedMs: number;
    cost: QueryCost | null;
    retryInMs?: number;
    error?: Error;
  }): void {
    const { error, ...rest } = event;
    const full = { shop: this.shop, ...rest, ...(error ? { error: error.message } : {}) };
    const fields = {
      operation: event.operation,
      attempt: event.attempt,
      outcome: event.outcome,
      ms: event.durationMs,
      pacedMs: event.pacedMs,
      requestedCost: event.cost?.requestedQueryCost,
      actualCost: event.cost?.actualQueryCost,
      available: event.cost?.throttleStatus.currentlyAvailable,
      retryInMs: event.retryInMs,
      error: error?.message,
    };
    if (event.outcome === "ok") this.log.info(fields, "admin:call");
    else this.log.warn(fields, "admin:call");
    const { adminApiCost, adminApiThrottles, adminApiCircuitOpen } = metrics();
    if (event.cost) {
      adminApiCost.inc({ operation: event.operation, kind: "requested" }, event.cost.requestedQueryCost);
      if (event.cost.actualQueryCost !== null) {
        adminApiCost.inc({ operation: event.operation, kind: "actual" }, event.cost.actualQueryCost);
      }
    }
    if (event.outcome === "throttled" || event.outcome === "http_429")
      adminApiThrottles.inc({ operation: event.operation });
    if (event.outcome === "circuit_open") adminApiCircuitOpen.inc({ operation: event.operation });
    emitAdminApiEvent(full);
  }
}

/**
 * An HTTP error status from Shopify: 429 (after Retry-After seconds, when given) and 5xx retried, 401
 * re-authorised, anything else a failure.
 */
function classifyStatus(status: number, body: unknown, error: Error, retryAfterSeconds: number): Attempt<never> {
  if (status === 429) {
    const delayMs = Number.isFinite(retryAfterSeconds) ? Math.ceil(retryAfterSeconds * 1000) : null;
    return { kind: "retry", outcome: "http_429", cost: null, delayMs, error };
  }
  if (status >= 500) return { kind: "retry", outcome: "http_5xx", cost: null, delayMs: null, error };
  if (status === 401) return { kind: "unauthorized", error };
  return {
    kind: "fail",
    cost: null,
    error: new AdminApiError(`Admin API answered HTTP ${status}`, body, { code: "HTTP_ERROR", cause: error }),
  };
}
