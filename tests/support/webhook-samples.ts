// Shopify's published webhook sample payloads (tools/shopify-emulator/test-fixtures/webhook-samples/,
// named after their topics: "orders_create" is orders/create).
import { readFileSync } from "node:fs";

const SAMPLES = "tools/shopify-emulator/test-fixtures/webhook-samples";

/**
 * The sample for `name`, as text (its ids exceed 2^53). With `shop`, it names that shop where Shopify's
 * sample names its example shop (jsmith.myshopify.com): ingest refuses a body naming another shop than
 * its delivery's (ADR 0016).
 */
export function webhookSample(name: string, shop?: string): string {
  const body = readFileSync(`${SAMPLES}/${name}.json`, "utf8");
  return shop === undefined ? body : body.replaceAll("jsmith.myshopify.com", shop);
}
