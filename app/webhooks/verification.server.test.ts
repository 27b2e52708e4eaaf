// The node:crypto check (verification.server.ts) against the Shopify library's own webhooks.validate:
// the same verdict, reason and fields on every input — valid deliveries, tampered bodies, signatures
// and secrets, missing and empty headers, non-ASCII and invalid UTF-16 bodies.
import "@shopify/shopify-api/adapters/web-api";
import { createHmac } from "node:crypto";
import { ApiVersion, LogSeverity, shopifyApi } from "@shopify/shopify-api";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { verifyWebhookHmac } from "./verification.server";

const SECRET = "shop-sync-test-secret";
const library = (secret: string) =>
  shopifyApi({
    apiKey: "key",
    apiSecretKey: secret,
    apiVersion: ApiVersion.October26,
    hostName: "app.test",
    isEmbeddedApp: true,
    logger: { level: LogSeverity.Error },
  });
const libraries = new Map<string, ReturnType<typeof library>>();

/** Both verdicts for one delivery, in one comparable shape. */
async function bothVerdicts(secret: string, headers: Record<string, string>, rawBody: string) {
  let api = libraries.get(secret);
  if (!api) libraries.set(secret, (api = library(secret)));
  const request = new Request("http://app.test/webhooks/products/update", { method: "POST", headers, body: rawBody });
  const theirs: Record<string, unknown> = { ...(await api.webhooks.validate({ rawBody, rawRequest: request })) };
  delete theirs.webhookType;
  const fetchHeaders = new Headers(headers);
  const ours: Record<string, unknown> = {
    ...verifyWebhookHmac((name) => fetchHeaders.get(name) ?? undefined, rawBody, secret),
  };
  // The library upper-cases the topic for its registry (topicForStorage); ingest keeps Shopify's.
  if (typeof ours.topic === "string") ours.topic = ours.topic.toUpperCase().replace(/\/|\./g, "_");
  return { ours, theirs };
}

const sign = (secret: string, body: string) => createHmac("sha256", secret).update(body, "utf8").digest("base64");

const baseHeaders = (body: string, secret = SECRET): Record<string, string> => ({
  "X-Shopify-Hmac-Sha256": sign(secret, body),
  "X-Shopify-Topic": "products/update",
  "X-Shopify-Shop-Domain": "acme.myshopify.com",
  "X-Shopify-API-Version": "2026-10",
  "X-Shopify-Webhook-Id": "b54557e4-bdd9-4b37-8a5f-bf7d70bcd043",
  "X-Shopify-Triggered-At": "2026-11-24T10:00:00.000Z",
  "X-Shopify-Event-Id": "98880550-7158-44d4-b7cd-2c97c8a091b5",
  "X-Shopify-Name": "products-update",
});

describe("verifyWebhookHmac is the Shopify library's webhooks.validate", () => {
  it("agrees on valid deliveries and on every single-field tampering of them", async () => {
    let compared = 0;
    let validSeen = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.json(), fc.string({ unit: "grapheme" }), fc.string({ unit: "binary" })),
        fc.string({ minLength: 1, maxLength: 64 }),
        fc.constantFrom(
          "none",
          "body",
          "secret",
          "signature",
          "signature-case",
          "no-hmac",
          "empty-hmac",
          "no-topic",
          "no-domain",
          "no-version",
          "no-id",
          "empty-id",
          "no-optional",
          "empty-body",
        ),
        async (body, secret, tamper) => {
          const headers = baseHeaders(body, secret);
          let rawBody = body;
          let checkedWith = secret;
          if (tamper === "body") rawBody = `${body} `;
          if (tamper === "secret") checkedWith = `${secret}x`;
          if (tamper === "signature") headers["X-Shopify-Hmac-Sha256"] = sign(secret, `${body}!`);
          if (tamper === "signature-case")
            headers["X-Shopify-Hmac-Sha256"] = headers["X-Shopify-Hmac-Sha256"]!.toLowerCase();
          if (tamper === "no-hmac") delete headers["X-Shopify-Hmac-Sha256"];
          if (tamper === "empty-hmac") headers["X-Shopify-Hmac-Sha256"] = "";
          if (tamper === "no-topic") delete headers["X-Shopify-Topic"];
          if (tamper === "no-domain") delete headers["X-Shopify-Shop-Domain"];
          if (tamper === "no-version") delete headers["X-Shopify-API-Version"];
          if (tamper === "no-id") delete headers["X-Shopify-Webhook-Id"];
          if (tamper === "empty-id") headers["X-Shopify-Webhook-Id"] = "";
          if (tamper === "no-optional") {
            delete headers["X-Shopify-Name"];
            delete headers["X-Shopify-Event-Id"];
            delete headers["X-Shopify-Triggered-At"];
          }
          if (tamper === "empty-body") rawBody = "";
          const { ours, theirs } = await bothVerdicts(checkedWith, headers, rawBody);
          expect(ours).toEqual(theirs);
          compared++;
          if (ours.valid) validSeen++;
        },
      ),
      { numRuns: 1500 },
    );
    expect(compared).toBe(1500);
    // The property exercised both sides of the verdict, not only refusals.
    expect(validSeen).toBeGreaterThan(100);
  }, 120_000);

  it("agrees on bodies that are not valid UTF-16 (lone surrogates, encoded as U+FFFD by both)", async () => {
    for (const body of ['{"t":"\uD800"}', "\uDC00abc", "é\uD83D", '{"emoji":"😀"}']) {
      const { ours, theirs } = await bothVerdicts(SECRET, baseHeaders(body), body);
      expect(theirs.valid).toBe(true);
      expect(ours).toEqual(theirs);
    }
  });

  it("refuses a signature of the right length that differs in one character", async () => {
    const body = '{"id":1}';
    const headers = baseHeaders(body);
    const good = headers["X-Shopify-Hmac-Sha256"]!;
    headers["X-Shopify-Hmac-Sha256"] = `${good[0] === "A" ? "B" : "A"}${good.slice(1)}`;
    const { ours, theirs } = await bothVerdicts(SECRET, headers, body);
    expect(ours).toEqual({ valid: false, reason: "invalid_hmac" });
    expect(theirs).toEqual(ours);
  });
});
