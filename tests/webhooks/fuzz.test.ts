// Promise 2: thousands of random and mutated deliveries (bad signatures, missing headers, truncated,
// deeply nested and wrongly typed JSON, huge numbers, unknown topics and shops, wrong methods) sent
// over HTTP to every webhook route. The app must never answer 5xx (the database is up), a 200 must
// mean "stored byte for byte", anything else must store nothing, and every well-formed signed delivery
// of the same run must land. Then the worker processes what landed: signed-but-malformed payloads end
// as dead events with a validation error, never as a crashed or endlessly retried job.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { queueDepth } from "~/sync/queue/queue.server";
import { MAX_WEBHOOK_BODY_BYTES } from "~/webhooks/ingest.server";
import { checkSignedDelivery } from "~/webhooks/signed-delivery.server";
import { SUBSCRIBED_TOPICS } from "~/webhooks/topics";
import { readFileSync, readdirSync } from "node:fs";
import { startAppServer, type AppServer } from "../support/app-http";
import { drainQueue, sign } from "./support/webhooks";

const KNOWN_SHOP = "fuzz.myshopify.com";
const SEED = 424242;
const RUNS = 1500;
const CONCURRENCY = 12;
const SAMPLES_DIR = "tools/shopify-emulator/test-fixtures/webhook-samples";
const sampleFiles = readdirSync(SAMPLES_DIR).filter((file) => file.endsWith(".json"));
const samples = sampleFiles.map((file) => readFileSync(`${SAMPLES_DIR}/${file}`, "utf8"));
/** A route's own sample (or its resource's), so most deliveries are about what their route is for. */
const sampleFor = (topic: string): string => {
  const file =
    sampleFiles.find((name) => name === `${topic.replace("/", "_")}.json`) ??
    (topic.startsWith("orders/")
      ? "orders_create.json"
      : topic.startsWith("products/")
        ? "products_update.json"
        : null);
  return file ? readFileSync(`${SAMPLES_DIR}/${file}`, "utf8") : JSON.stringify({ id: 1, current: ["read_orders"] });
};
/** Shopify's samples name no real shop: deliveries name the shop they are sent for. */
const namingShop = (body: string, shop: string) =>
  body
    .replaceAll("{shop}.myshopify.com", shop)
    .replaceAll("jsmith.myshopify.com", shop)
    .replace(/"myshopify_domain": ?null/, `"myshopify_domain": "${shop}"`);
// Deliveries that would end the known store (uninstall, erase it) go to unknown shops only, so the
// rest of the run still has a store to process against.
const STORE_ENDING = new Set(["app/uninstalled", "shop/redact"]);
const REQUIRED_HEADERS = ["x-shopify-topic", "x-shopify-shop-domain", "x-shopify-webhook-id", "x-shopify-api-version"];

interface Case {
  route: string;
  method: string;
  headers: Record<string, string>;
  body: string;
  /** Well-formed and signed with the app secret: must be answered 200 and stored. */
  valid: boolean;
  shop: string;
  webhookId: string;
}

let app: AppServer;

beforeAll(async () => {
  app = await startAppServer();
  await db.shopifyStore.create({ data: { shop: KNOWN_SHOP, name: "Fuzz", currencyCode: "USD" } });
});

afterAll(async () => {
  await app?.close();
});

// ---- bodies ------------------------------------------------------------------------------------

const HUGE = ["123456789012345678901234567890", "1e400", "-1e400", "18446744073709551616", "-0", "1.5e-400"];

/** A Shopify sample with some members replaced by random JSON, wrong types or huge numbers. */
const mutatedSample = (sample: fc.Arbitrary<string>) =>
  fc
    .record({
      sample,
      edits: fc.array(
        fc.record({
          pick: fc.nat(),
          value: fc.oneof(
            fc.jsonValue({ maxDepth: 3 }),
            fc.constantFrom(...HUGE).map((raw) => ({ __raw: raw })),
            fc.constant(undefined),
          ),
        }),
        { maxLength: 4 },
      ),
    })
    .map(({ sample, edits }) => {
      const body = JSON.parse(sample) as Record<string, unknown>;
      const keys = Object.keys(body);
      const raws: string[] = [];
      for (const { pick, value } of edits) {
        const key = keys[pick % keys.length] as string;
        if (value === undefined) delete body[key];
        else if (value && typeof value === "object" && "__raw" in value) {
          raws.push(String(value.__raw));
          body[key] = `__RAW_${raws.length - 1}__`;
        } else body[key] = value;
      }
      return JSON.stringify(body).replace(/"__RAW_(\d+)__"/g, (_m, i: string) => raws[Number(i)] ?? "0");
    });

const deeplyNested = fc
  .record({ depth: fc.integer({ min: 500, max: 5_000 }), object: fc.boolean() })
  .map(({ depth, object }) =>
    object ? '{"a":'.repeat(depth) + "1" + "}".repeat(depth) : "[".repeat(depth) + "]".repeat(depth),
  );

const validJsonBody = (route: string) =>
  fc.oneof(
    { weight: 4, arbitrary: mutatedSample(fc.constant(sampleFor(route))) },
    { weight: 2, arbitrary: mutatedSample(fc.constantFrom(...samples)) },
    { weight: 2, arbitrary: fc.json({ maxDepth: 4 }) },
    { weight: 1, arbitrary: deeplyNested },
    { weight: 16, arbitrary: fc.constant(sampleFor(route)) },
    { weight: 1, arbitrary: fc.constantFrom(...samples) },
  );

const invalidJsonBody = fc.oneof(
  fc.tuple(fc.constantFrom(...samples), fc.nat()).map(([sample, cut]) => sample.slice(0, cut % sample.length)),
  fc.string({ maxLength: 200 }),
  fc.constantFrom("", "{", "[1,]", '{"id": 1', "nul", "{'a': 1}", '{"a": NaN}', "\u0000"),
  fc.integer({ min: 500, max: 5_000 }).map((depth) => "[".repeat(depth)),
);

// ---- requests ----------------------------------------------------------------------------------

const topic = fc.constantFrom(...SUBSCRIBED_TOPICS);
const shop = fc.oneof(
  { weight: 6, arbitrary: fc.constant(KNOWN_SHOP) },
  { weight: 2, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{2,20}$/).map((name) => `${name}.myshopify.com`) },
  { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom("evil.com", "", "a".repeat(300))) },
);

const caseArbitrary = (index: number) =>
  topic
    .chain((route) =>
      fc.record({
        route: fc.constant(route),
        topicHeader: fc.oneof(
          { weight: 8, arbitrary: fc.constant(null) }, // the route's own topic
          { weight: 1, arbitrary: topic },
          {
            weight: 1,
            arbitrary: fc.oneof(fc.constantFrom("foo/bar", "PRODUCTS_UPDATE", ""), fc.string({ maxLength: 30 })),
          },
        ),
        shop,
        method: fc.oneof(
          { weight: 20, arbitrary: fc.constant("POST") },
          { weight: 1, arbitrary: fc.constantFrom("PUT", "PATCH", "DELETE") },
        ),
        json: fc.oneof(
          { weight: 3, arbitrary: validJsonBody(route).map((body) => ({ body, parses: true })) },
          {
            weight: 1,
            arbitrary: invalidJsonBody.map((body) => ({ body, parses: isJson(body) })),
          },
        ),
        signature: fc.oneof(
          { weight: 6, arbitrary: fc.constant("valid") },
          { weight: 1, arbitrary: fc.constantFrom("random", "other-body", "other-secret", "missing", "hex", "empty") },
        ),
        dropHeader: fc.oneof(
          { weight: 8, arbitrary: fc.constant(null) },
          { weight: 1, arbitrary: fc.constantFrom(...REQUIRED_HEADERS) },
        ),
        apiVersion: fc.oneof(
          { weight: 8, arbitrary: fc.constant("2026-10") },
          { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
        ),
      }),
    )
    .map((generated): Case => {
      const webhookId = `fz-${index}`;
      const shopDomain =
        STORE_ENDING.has(generated.topicHeader ?? generated.route) && generated.shop === KNOWN_SHOP
          ? `x${index}.myshopify.com`
          : generated.shop;
      const c = { ...generated, json: { ...generated.json, body: namingShop(generated.json.body, shopDomain) } };
      const signatures: Record<string, string | null> = {
        valid: sign(c.json.body),
        random: Buffer.from(`r${index}`).toString("base64"),
        "other-body": sign(`${c.json.body} `),
        "other-secret": sign(c.json.body, "not-the-secret"),
        missing: null,
        hex: Buffer.from(sign(c.json.body), "base64").toString("hex"),
        empty: "",
      };
      const headers: Record<string, string> = {
        "content-type": "application/json",
        "x-shopify-topic": c.topicHeader ?? c.route,
        "x-shopify-shop-domain": shopDomain,
        "x-shopify-webhook-id": webhookId,
        "x-shopify-api-version": c.apiVersion,
        "x-shopify-triggered-at": new Date(Date.UTC(2026, 0, 1, 0, 0, index)).toISOString(),
        "x-shopify-event-id": `ev-${index}`,
      };
      const signature = signatures[c.signature];
      if (signature !== null && signature !== undefined) headers["x-shopify-hmac-sha256"] = signature;
      if (c.dropHeader) delete headers[c.dropHeader];
      const valid =
        c.method === "POST" &&
        c.signature === "valid" &&
        c.dropHeader === null &&
        c.json.parses &&
        c.apiVersion === "2026-10" &&
        Object.values(headers).every((value) => value !== "") &&
        /^[a-z][a-z0-9-]*\.myshopify\.com$/.test(shopDomain) &&
        // The signed body decides: its route, topic header and the shop it names must agree.
        checkSignedDelivery({
          routeTopic: c.route,
          headerTopic: c.topicHeader ?? c.route,
          headerShop: shopDomain,
          body: JSON.parse(c.json.body) as unknown,
          knownShopId: null,
        }) === null;
      return { route: c.route, method: c.method, headers, body: c.json.body, valid, shop: shopDomain, webhookId };
    });

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

async function send(c: Case): Promise<number> {
  const headers = new Headers();
  for (const [name, value] of Object.entries(c.headers)) {
    // Headers fetch itself refuses (control characters): such a request cannot reach the app anyway.
    if (/^[\t\x20-\x7e\x80-\xff]*$/.test(value)) headers.set(name, value);
  }
  const response = await fetch(`${app.url}/webhooks/${c.route}`, { method: c.method, headers, body: c.body });
  await response.arrayBuffer();
  return response.status;
}

async function sendAll(cases: Case[]): Promise<number[]> {
  const statuses: number[] = new Array<number>(cases.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < cases.length) {
        const i = next++;
        statuses[i] = await send(cases[i] as Case);
      }
    }),
  );
  return statuses;
}

describe("webhook routes under fuzzing", () => {
  it("answer every request without 5xx, store exactly the well-formed signed ones, and process them safely", async () => {
    // Sampled from one seed (reproducible); each case gets its own index, so ids are unique and a 200
    // or not can be checked row by row.
    const cases = Array.from(
      { length: RUNS },
      (_, index) => fc.sample(caseArbitrary(index), { numRuns: 1, seed: SEED + index })[0] as Case,
    );
    // Too large, and exact duplicates of valid deliveries (Shopify's retries): both must be handled.
    const oversized = JSON.stringify({ id: 1, note: "x".repeat(MAX_WEBHOOK_BODY_BYTES) });
    cases.push({
      ...(cases.find((c) => c.valid) as Case),
      body: oversized,
      headers: {
        ...(cases.find((c) => c.valid) as Case).headers,
        "x-shopify-hmac-sha256": sign(oversized),
        "x-shopify-webhook-id": "fz-big",
      },
      webhookId: "fz-big",
      valid: false,
    });
    const duplicates = cases.filter((c) => c.valid).slice(0, 50);
    const all = [...cases, ...duplicates.map((c) => ({ ...c, valid: false, duplicate: true }))];
    const validCount = cases.filter((c) => c.valid).length;
    expect(validCount).toBeGreaterThan(RUNS / 4); // the generator must exercise the happy path too
    expect(cases.filter((c) => !c.valid).length).toBeGreaterThan(RUNS / 4);

    const statuses = await sendAll(all);

    const serverErrors = all.flatMap((c, i) =>
      (statuses[i] ?? 0) >= 500 ? [{ status: statuses[i], ...c, body: c.body.slice(0, 200) }] : [],
    );
    expect(serverErrors).toEqual([]);
    const rows = await db.shopifyWebhookEvent.findMany({
      where: { webhookId: { startsWith: "fz-" } },
      select: { shop: true, webhookId: true, rawBody: true, status: true, storeId: true },
    });
    const stored = new Map(rows.map((row) => [row.webhookId, row]));
    const mismatches: unknown[] = [];
    cases.forEach((c, i) => {
      const status = statuses[i];
      const row = stored.get(c.webhookId);
      if (c.valid && status !== 200)
        mismatches.push({ why: "valid not accepted", status, headers: c.headers, body: c.body.slice(0, 200) });
      if (status === 200 && (!row || row.rawBody !== c.body || row.shop !== c.shop))
        mismatches.push({ why: "200 but not stored as sent", headers: c.headers });
      if (status !== 200 && row)
        mismatches.push({ why: `${status} but stored`, headers: c.headers, body: c.body.slice(0, 200) });
      if (status === 200 && row && (row.status === "ignored") !== (c.shop !== KNOWN_SHOP))
        mismatches.push({ why: "ignored status wrong", headers: c.headers });
    });
    expect(mismatches).toEqual([]);
    expect(statuses.slice(cases.length).every((status) => status === 200)).toBe(true); // duplicates
    expect(rows.length).toBe(statuses.slice(0, cases.length).filter((status) => status === 200).length);

    // Process everything that landed for the known store.
    await drainQueue();
    const events = await db.shopifyWebhookEvent.findMany({
      where: { shop: KNOWN_SHOP },
      select: { webhookId: true, topic: true, status: true, lastError: true },
    });
    expect(events.length).toBeGreaterThan(RUNS / 10);
    const byStatus: Partial<Record<string, typeof events>> = {};
    for (const event of events) (byStatus[event.status] ??= []).push(event);
    expect(byStatus.processed?.length ?? 0).toBeGreaterThan(0);
    // Nothing left retrying: a malformed payload fails for good at once, with a validation error.
    expect(byStatus.failed ?? []).toEqual([]);
    expect(byStatus.received ?? []).toEqual([]);
    expect(await queueDepth()).toMatchObject({ ready: 0, scheduled: 0, running: 0 });
    const unexpected = (byStatus.dead ?? []).filter(
      (event) => !/^(invalid|no handler for topic)/i.test(event.lastError ?? ""),
    );
    expect(unexpected).toEqual([]);
  }, 60_000);
});
