// Bulk results are served from the emulator on URLs signed like Google Cloud Storage V4 URLs (which is
// what Shopify hands out): the query string carries the date, lifetime and an HMAC over both and the
// path. Expired or tampered URLs answer 403 with GCS's XML error body.
import { createHmac, timingSafeEqual } from "node:crypto";

export const BULK_URL_TTL_SECONDS = 7 * 24 * 3600; // Shopify: result URLs expire after one week

function goog(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

function fromGoog(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : NaN;
}

function sign(secret: string, path: string, date: string, expires: string): string {
  return createHmac("sha256", secret).update(`GOOG4-HMAC-SHA256\n${path}\n${date}\n${expires}`).digest("hex");
}

export function signUrl(
  origin: string,
  path: string,
  secret: string,
  nowMs: number,
  ttlSeconds = BULK_URL_TTL_SECONDS,
): string {
  const date = goog(nowMs);
  const expires = String(ttlSeconds);
  const q = new URLSearchParams({
    "X-Goog-Algorithm": "GOOG4-HMAC-SHA256",
    "X-Goog-Credential": "shop-sync-emulator/auto/storage/goog4_request",
    "X-Goog-Date": date,
    "X-Goog-Expires": expires,
    "X-Goog-SignedHeaders": "host",
    "X-Goog-Signature": sign(secret, path, date, expires),
  });
  return `${origin}${path}?${q}`;
}

export type UrlCheck = { ok: true } | { ok: false; status: number; code: string; message: string; details?: string };

export function verifyUrl(
  path: string,
  query: Record<string, string | undefined>,
  secret: string,
  nowMs: number,
): UrlCheck {
  const date = query["X-Goog-Date"];
  const expires = query["X-Goog-Expires"];
  const sig = query["X-Goog-Signature"];
  if (!date || !expires || !sig) return { ok: false, status: 403, code: "AccessDenied", message: "Access denied." };
  const want = Buffer.from(sign(secret, path, date, expires));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !timingSafeEqual(want, got))
    return {
      ok: false,
      status: 403,
      code: "SignatureDoesNotMatch",
      message: "The request signature we calculated does not match the signature you provided.",
    };
  const expiresAt = fromGoog(date) + Number(expires) * 1000;
  if (!(nowMs <= expiresAt)) return expired(expiresAt);
  return { ok: true };
}

export function expired(expiresAt: number): UrlCheck {
  return {
    ok: false,
    status: 403,
    code: "ExpiredToken",
    message: "Invalid argument.",
    details: `The provided token has expired. Request signature expired at: ${new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, "+00:00")}`,
  };
}

export function gcsErrorXml(check: Extract<UrlCheck, { ok: false }>): string {
  return (
    `<?xml version='1.0' encoding='UTF-8'?><Error><Code>${check.code}</Code><Message>${check.message}</Message>` +
    (check.details ? `<Details>${check.details}</Details>` : "") +
    "</Error>"
  );
}
