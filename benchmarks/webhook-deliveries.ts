// Realistic signed webhook deliveries for the webhook benchmark (benchmarks/webhooks.ts): the
// products/update and orders/create samples of the emulator's fixtures, each with its own ids
// (product, variants, order, line items…), timestamps and webhook id, compacted as Shopify sends them
// and signed with the app secret (base64 HMAC-SHA256 over the exact body), with every X-Shopify-* header.
import { createHmac, randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";

const SAMPLES_DIR = path.resolve("tools/shopify-emulator/test-fixtures/webhook-samples");

export const BENCH_TOPICS = ["products/update", "orders/create"] as const;
export type BenchTopic = (typeof BENCH_TOPICS)[number];

export interface SignedDelivery {
  topic: BenchTopic;
  body: Buffer;
  headers: Record<string, string>;
}

/** JSON without insignificant whitespace (text-level, so ids above 2^53 keep every digit). */
function compact(json: string): string {
  let out = "";
  let inString = false;
  for (let i = 0; i < json.length; i += 1) {
    const c = json[i] as string;
    if (inString) {
      out += c;
      if (c === "\\") out += json[++i] ?? "";
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c !== " " && c !== "\n" && c !== "\r" && c !== "\t") {
      out += c;
    }
  }
  return out;
}

interface Template {
  topic: BenchTopic;
  text: string;
  /** Every distinct numeric `"id"` of the sample (the resource, its variants or lines, addresses…). */
  ids: string[];
}

function template(topic: BenchTopic): Template {
  const text = compact(readFileSync(path.join(SAMPLES_DIR, `${topic.replace("/", "_")}.json`), "utf8"));
  const ids = [...new Set([...text.matchAll(/"id":(\d+)/g)].map((m) => m[1] as string))];
  return { topic, text, ids };
}

const TIMESTAMP = /"(updated_at|created_at|processed_at)":"[^"]*"/g;

/**
 * Delivery `index` of a run: every id of the sample is replaced by one unique to (run, index, id slot),
 * so no two deliveries are about the same resource and none is a duplicate; timestamps are now.
 */
export function makeDeliveries(options: {
  count: number;
  secret: string;
  shop: string;
  webhookIdPrefix: string;
  /** Distinguishes runs that share a database (0–899). */
  run: number;
}): SignedDelivery[] {
  const templates = BENCH_TOPICS.map(template);
  const deliveries: SignedDelivery[] = [];
  for (let index = 0; index < options.count; index += 1) {
    const tpl = templates[index % templates.length] as Template;
    const now = new Date(Date.now() + index).toISOString();
    // Shopify's sample order is on jsmith.myshopify.com; ingest refuses an order of another shop.
    let text = tpl.text
      .replace(TIMESTAMP, (_m, field: string) => `"${field}":"${now}"`)
      .replaceAll("jsmith.myshopify.com", options.shop);
    tpl.ids.forEach((id, slot) => {
      // 1 + run (3 digits), slot (2 digits), index (9 digits): unique, well below 2^63.
      const fresh = `${100 + options.run}${String(slot).padStart(2, "0")}${String(index).padStart(9, "0")}`;
      text = text.replace(new RegExp(`\\b${id}\\b`, "g"), fresh);
    });
    const body = Buffer.from(text);
    deliveries.push({
      topic: tpl.topic,
      body,
      headers: {
        "content-type": "application/json",
        "content-length": String(body.byteLength),
        "x-shopify-topic": tpl.topic,
        "x-shopify-hmac-sha256": createHmac("sha256", options.secret).update(body).digest("base64"),
        "x-shopify-shop-domain": options.shop,
        "x-shopify-api-version": "2026-10",
        "x-shopify-webhook-id": `${options.webhookIdPrefix}${index}-${randomUUID()}`,
        "x-shopify-triggered-at": now,
        "x-shopify-event-id": randomUUID(),
      },
    });
  }
  return deliveries;
}
