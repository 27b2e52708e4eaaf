// Which shop a request to the emulator is for. The app's fetch seam rewrites `https://{shop}/…` to the
// emulator origin and sets `X-Forwarded-Host: {shop}`; a client that really resolves
// `{shop}.myshopify.com` to the emulator sends it as Host instead.
import type { FastifyRequest } from "fastify";

const SHOP_DOMAIN = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/;

export function isShopDomain(value: string): boolean {
  return SHOP_DOMAIN.test(value);
}

function firstHostValue(header: string | string[] | undefined): string | null {
  const raw = Array.isArray(header) ? header[0] : header;
  if (!raw) return null;
  const first = raw.split(",")[0]!.trim().toLowerCase();
  return first.replace(/:\d+$/, "");
}

/** `X-Forwarded-Host` first, then a `*.myshopify.com` Host header; null when neither names a shop. */
export function shopFromRequest(request: FastifyRequest): string | null {
  const forwarded = firstHostValue(request.headers["x-forwarded-host"]);
  if (forwarded && isShopDomain(forwarded)) return forwarded;
  const host = firstHostValue(request.headers.host);
  if (host && isShopDomain(host)) return host;
  return null;
}

/** The `host` query parameter Shopify gives embedded apps: base64 of "admin.shopify.com/store/{name}",
 * without padding. */
export function adminHostParam(shop: string): string {
  const name = shop.replace(/\.myshopify\.com$/, "");
  return Buffer.from(`admin.shopify.com/store/${name}`).toString("base64").replace(/=+$/, "");
}
