// The emulator seam: the one place Shop Sync can be pointed at the local Shopify emulator
// (tools/shopify-emulator) instead of Shopify. It wraps the fetch the Shopify library uses so that a
// request to https://{shop}/… goes to the emulator's origin with the shop in X-Forwarded-Host, as a
// reverse proxy would forward it. Nothing else in the app knows the emulator exists.
export type FetchFunction = typeof fetch;

const SHOP_HOST = /^[a-z0-9][a-z0-9-]*\.myshopify\.com$/i;

export function routeShopRequestsTo(emulatorOrigin: string, realFetch: FetchFunction = fetch): FetchFunction {
  const emulator = new URL(emulatorOrigin);
  return (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (!SHOP_HOST.test(url.hostname)) return realFetch(request);
    const target = new URL(url.pathname + url.search, emulator);
    const headers = new Headers(request.headers);
    headers.set("X-Forwarded-Host", url.hostname);
    headers.set("X-Forwarded-Proto", url.protocol.replace(":", ""));
    return realFetch(
      new Request(target, {
        method: request.method,
        headers,
        body: request.body,
        redirect: "manual",
        signal: request.signal,
        // Required by undici when streaming a request body.
        ...(request.body ? { duplex: "half" } : {}),
      } as RequestInit),
    );
  };
}
