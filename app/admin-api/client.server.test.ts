// The client against a scripted admin context and a fake clock: pacing, retries, the circuit.
import { GraphqlQueryError, HttpInternalError, HttpResponseError } from "@shopify/shopify-api";
import { SessionNotFoundError } from "@shopify/shopify-app-remix/server";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { AdminGraphqlClient, CircuitOpenError, type LibraryAdminContext } from "./client.server";
import type { Clock } from "./clock.server";
import { onAdminApiEvent, type AdminCallEvent } from "./events.server";

const DOC = `#graphql
  query ShopName {
    shop {
      name
    }
  }
`;
const schema = z.object({ shop: z.object({ name: z.string() }) });

function fakeClock() {
  let t = 0;
  const sleeps: number[] = [];
  const clock: Clock = {
    now: () => t,
    sleep: async (ms) => {
      sleeps.push(ms);
      t += ms;
    },
  };
  return { clock, sleeps };
}

const cost = (requested: number, available: number, actual: number | null = requested) => ({
  requestedQueryCost: requested,
  actualQueryCost: actual,
  throttleStatus: { maximumAvailable: 2000, currentlyAvailable: available, restoreRate: 100 },
});

const ok = (available: number, requested = 500) =>
  new Response(JSON.stringify({ data: { shop: { name: "Acme" } }, extensions: { cost: cost(requested, available) } }));

function throttled(available: number, requested = 500) {
  return new GraphqlQueryError({
    message: "Throttled",
    response: { status: 200 },
    body: {
      errors: { graphQLErrors: [{ message: "Throttled", extensions: { code: "THROTTLED" } }] },
      extensions: { cost: cost(requested, available, null) },
    },
  });
}

const internal = () =>
  new HttpInternalError({ message: "Shopify internal error", code: 503, statusText: "Service Unavailable" });

function scripted(steps: Array<Response | Error>): LibraryAdminContext & { calls: number } {
  const admin = {
    calls: 0,
    async graphql() {
      const step = steps[admin.calls++];
      if (!step) throw new Error("no more scripted responses");
      if (step instanceof Error) throw step;
      return step;
    },
  };
  return admin;
}

describe("AdminGraphqlClient", () => {
  it("holds a query until the bucket model holds its cost: (requested − available) / restoreRate", async () => {
    const { clock, sleeps } = fakeClock();
    const admin = scripted([ok(100), ok(2000)]);
    const client = new AdminGraphqlClient(admin, { clock, random: () => 0 });
    await client.query(DOC, schema); // bucket unknown: sent at once; learns cost 500, available 100
    expect(sleeps).toEqual([]);
    await client.query(DOC, schema);
    expect(sleeps).toEqual([4_000]); // (500 − 100) / 100 per s
  });

  it("retries THROTTLED after the wait Shopify's throttleStatus implies, and 5xx with backoff", async () => {
    const { clock, sleeps } = fakeClock();
    const events: AdminCallEvent[] = [];
    const off = onAdminApiEvent((e) => events.push(e));
    const admin = scripted([throttled(200), internal(), ok(1500)]);
    const client = new AdminGraphqlClient(admin, {
      clock,
      random: () => 0,
      retry: { baseDelayMs: 100, maxDelayMs: 1000 },
    });
    const result = await client.request(DOC, schema);
    off();
    expect(result).toMatchObject({ data: { shop: { name: "Acme" } }, attempts: 3 });
    expect(events.map((e) => e.outcome)).toEqual(["throttled", "http_5xx", "ok"]);
    // THROTTLED: jitter 0, then pacing waits (500 − 200) / 100 = 3 s; 5xx: 100 ms · 2^1 · 50%.
    expect(sleeps).toEqual([0, 3_000, 100]);
  });

  it("gives up after maxAttempts with a retryable error, and the circuit opens then closes", async () => {
    const { clock } = fakeClock();
    const admin = scripted([internal(), internal(), internal(), ok(2000), ok(2000)]);
    const client = new AdminGraphqlClient(admin, {
      clock,
      random: () => 0,
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 10 },
      circuit: { failureThreshold: 3, coolDownMs: 60_000 },
    });
    await expect(client.query(DOC, schema)).rejects.toMatchObject({ code: "RETRIES_EXHAUSTED", retryable: true });
    await expect(client.query(DOC, schema)).rejects.toBeInstanceOf(CircuitOpenError);
    expect(admin.calls).toBe(3); // nothing sent while open
    await clock.sleep(60_000);
    await expect(client.query(DOC, schema)).resolves.toEqual({ shop: { name: "Acme" } });
  });

  it("fails at once, not retryable, on GraphQL errors and 4xx", async () => {
    const { clock } = fakeClock();
    const denied = new GraphqlQueryError({
      message: "Access denied",
      response: { status: 200 },
      body: { errors: { graphQLErrors: [{ message: "Access denied", extensions: { code: "ACCESS_DENIED" } }] } },
    });
    const notFound = new HttpResponseError({ message: "Not found", code: 404, statusText: "Not Found" });
    const admin = scripted([denied, notFound]);
    const client = new AdminGraphqlClient(admin, { clock });
    await expect(client.query(DOC, schema)).rejects.toMatchObject({ code: "GRAPHQL_ERRORS", retryable: false });
    await expect(client.query(DOC, schema)).rejects.toMatchObject({ code: "HTTP_ERROR", retryable: false });
    expect(admin.calls).toBe(2);
  });

  it("fails at once on a 4xx the request-bound context throws as a Response (a locked shop's 423)", async () => {
    const { clock, sleeps } = fakeClock();
    // authenticate.admin's context (afterAuth's) throws Shopify's HTTP errors as Responses.
    const admin = {
      calls: 0,
      async graphql(): Promise<Response> {
        admin.calls++;
        throw new Response(JSON.stringify({ errors: "Locked" }), { status: 423 });
      },
    };
    const client = new AdminGraphqlClient(admin, { clock });
    await expect(client.query(DOC, schema)).rejects.toMatchObject({ code: "HTTP_ERROR", retryable: false });
    expect(admin.calls).toBe(1);
    expect(sleeps).toEqual([]);
  });

  it("retries a 429 the request-bound context throws as a Response after its Retry-After", async () => {
    const { clock, sleeps } = fakeClock();
    let calls = 0;
    const admin = {
      async graphql(): Promise<Response> {
        calls++;
        if (calls === 1) throw new Response("{}", { status: 429, headers: { "retry-after": "2.0" } });
        return ok(2000);
      },
    };
    const client = new AdminGraphqlClient(admin, { clock });
    await expect(client.query(DOC, schema)).resolves.toEqual({ shop: { name: "Acme" } });
    expect(sleeps).toEqual([2_000]);
  });

  it("takes a fresh admin context once after a 401", async () => {
    const { clock } = fakeClock();
    const unauthorized = new HttpResponseError({ message: "Unauthorized", code: 401, statusText: "Unauthorized" });
    const stale = scripted([unauthorized]);
    const fresh = scripted([ok(2000)]);
    let current: LibraryAdminContext = stale;
    const client = new AdminGraphqlClient(
      { admin: async () => current, invalidate: () => (current = fresh) },
      { clock, shop: "reauth.myshopify.com", state: undefined },
    );
    await expect(client.query(DOC, schema)).resolves.toEqual({ shop: { name: "Acme" } });
    expect([stale.calls, fresh.calls]).toEqual([1, 1]);
  });

  it("fails at once with NO_SESSION, not retryable, when the shop has no offline session", async () => {
    const { clock, sleeps } = fakeClock();
    let loads = 0;
    const client = new AdminGraphqlClient(
      {
        admin: async () => {
          loads += 1;
          // What unauthenticated.admin(shop) throws when no offline session is stored.
          throw new SessionNotFoundError("Could not find a session for shop gone.myshopify.com");
        },
      },
      { clock, shop: "gone.myshopify.com", state: undefined },
    );
    await expect(client.query(DOC, schema)).rejects.toMatchObject({ code: "NO_SESSION", retryable: false });
    expect(loads).toBe(1);
    expect(sleeps).toEqual([]);
  });
});
