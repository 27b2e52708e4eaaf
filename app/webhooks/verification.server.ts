// Webhook verification on ingest's hot path: Shopify's HMAC check and required headers, as the
// Shopify library's `webhooks.validate` (@shopify/shopify-api) does it, with node:crypto.
//
// Why hand-written: the library's check takes a Fetch Request (ingest now reads node:http requests,
// docs/decisions/0027-lean-ingest-server.md), imports a WebCrypto key and signs through promises on
// every delivery, and compares with a JavaScript loop. node:crypto's createHmac + timingSafeEqual do
// the same computation synchronously in a fraction of the time. verification.server.test.ts runs this
// and the library side by side on many bodies, secrets, header sets and tampered variants and requires
// the same verdict, reason and fields every time. The library's other delivery format (Events, signed in
// a `shopify-hmac-sha256` header) is not one Shop Sync subscribes to (shopify.app.toml); ingest refuses
// a delivery carrying that header (shopify.server.ts, verifyWebhook).
import { createHmac, timingSafeEqual } from "node:crypto";

/** Reads one request header by lower-case name ("" and absent are both "missing", as in the library). */
export type HeaderReader = (name: string) => string | undefined;

/** The library's WebhookValidationErrorReason values this check can give. */
export type VerificationFailure = "missing_body" | "missing_hmac" | "invalid_hmac" | "missing_headers";

export type HmacVerdict =
  | {
      valid: true;
      hmac: string;
      topic: string;
      domain: string;
      apiVersion: string;
      webhookId: string;
      name?: string;
      triggeredAt?: string;
      eventId?: string;
    }
  | { valid: false; reason: VerificationFailure; missingHeaders?: string[] };

// Spelled as the library's ShopifyHeader (it reports missing headers by these names); read lower-cased.
const HEADERS = {
  hmac: "X-Shopify-Hmac-Sha256",
  topic: "X-Shopify-Topic",
  domain: "X-Shopify-Shop-Domain",
  apiVersion: "X-Shopify-API-Version",
  webhookId: "X-Shopify-Webhook-Id",
  name: "X-Shopify-Name",
  triggeredAt: "X-Shopify-Triggered-At",
  eventId: "X-Shopify-Event-Id",
} as const;

/** The Events format's signature header (the library checks such a delivery by other headers). */
export const EVENTS_HMAC_HEADER = "shopify-hmac-sha256";

/**
 * The library's verdict on a classic (X-Shopify-*) delivery. The HMAC is computed over the body's
 * UTF-8 encoding, as the library encodes the string it is given; the topic keeps Shopify's spelling
 * (the library's `topicForStorage` upper-cases it for its own registry, which ingest does not use).
 */
export function verifyWebhookHmac(readHeader: HeaderReader, rawBody: string, secret: string): HmacVerdict {
  const header = (name: string) => readHeader(name.toLowerCase());
  if (!rawBody.length) return { valid: false, reason: "missing_body" };
  const hmac = header(HEADERS.hmac);
  if (!hmac) return { valid: false, reason: "missing_hmac" };
  const expected = createHmac("sha256", secret).update(rawBody, "utf8").digest();
  // The library compares the two base64 strings; equal strings ⇔ equal bytes of their UTF-8 forms,
  // and timingSafeEqual needs equal lengths (a length differing tells nothing about the secret).
  const given = Buffer.from(hmac, "utf8");
  const computed = Buffer.from(expected.toString("base64"), "utf8");
  if (given.length !== computed.length || !timingSafeEqual(given, computed)) {
    return { valid: false, reason: "invalid_hmac" };
  }
  const missingHeaders: string[] = [];
  const required = (name: string) => {
    const value = header(name);
    if (!value) missingHeaders.push(name);
    return value ?? "";
  };
  const topic = required(HEADERS.topic);
  const domain = required(HEADERS.domain);
  const apiVersion = required(HEADERS.apiVersion);
  const webhookId = required(HEADERS.webhookId);
  if (missingHeaders.length) return { valid: false, reason: "missing_headers", missingHeaders };
  const verdict: HmacVerdict = { valid: true, hmac, topic, domain, apiVersion, webhookId };
  const name = header(HEADERS.name);
  if (name) verdict.name = name;
  const triggeredAt = header(HEADERS.triggeredAt);
  if (triggeredAt) verdict.triggeredAt = triggeredAt;
  const eventId = header(HEADERS.eventId);
  if (eventId) verdict.eventId = eventId;
  return verdict;
}
