// The emulator seam: the one place Shop Sync can be pointed at the local Shopify emulator
// (tools/shopify-emulator) instead of Shopify (docs/decisions/0004-emulator-seam.md). Nothing else in
// the app knows the emulator exists; app/shopify.server.ts decides once, at start-up, whether to use it.
//
// Server side: the Shopify library's fetch is wrapped so a request to https://{shop}.myshopify.com/…
// goes to the emulator's origin unchanged (method, path, query, headers, body) with the shop in
// X-Forwarded-Host, as a reverse proxy would forward it. Everything else passes through.
// Browser side: the admin frame is the emulator's, so its origin must be allowed to frame the app, and
// the library's install redirect to admin.shopify.com points at the emulator's admin instead.
export type FetchFunction = typeof fetch;

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

export function routeShopRequestsTo(emulatorOrigin: string, realFetch: FetchFunction = fetch): FetchFunction {
  const emulator = new URL(emulatorOrigin);
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!SHOP_HOST.test(url.hostname)) return realFetch(input, init);
    const headers = new Headers(request.headers);
    headers.set("X-Forwarded-Host", url.hostname.toLowerCase());
    const hasBody = request.method !== "GET" && request.method !== "HEAD";
    return realFetch(new URL(url.pathname + url.search, emulator), {
      method: request.method,
      headers,
      // Admin API and OAuth bodies are small JSON documents: buffering keeps the request replayable
      // by the library's retries.
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: request.signal,
      redirect: "manual",
    });
  };
}

/** Lets the emulator's admin shell frame the app: Shopify's CSP names only Shopify's admin origins. */
export function allowEmulatorFrame(headers: Headers, emulatorOrigin: string): void {
  const policy = headers.get("Content-Security-Policy");
  if (!policy?.includes("frame-ancestors")) return;
  const origin = new URL(emulatorOrigin).origin;
  headers.set("Content-Security-Policy", policy.replace("frame-ancestors", `frame-ancestors ${origin}`));
}

/** The library sends merchants to https://admin.shopify.com/store/{name}/… to install; in emulator
 * mode that admin is the emulator's. */
export function redirectAdminToEmulator(thrown: unknown, emulatorOrigin: string): unknown {
  if (!(thrown instanceof Response)) return thrown;
  const location = thrown.headers.get("Location");
  if (!location?.startsWith("https://admin.shopify.com/")) return thrown;
  const target = new URL(location);
  const rewritten = new URL(target.pathname + target.search, emulatorOrigin);
  const headers = new Headers(thrown.headers);
  headers.set("Location", rewritten.toString());
  return new Response(thrown.body, { status: thrown.status, headers });
}
