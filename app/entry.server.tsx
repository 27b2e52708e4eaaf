import { PassThrough } from "node:stream";
import { createReadableStreamFromReadable, type EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { env } from "./env.server";
import { addDocumentResponseHeaders } from "./shopify.server";
import { startEmbeddedWorker } from "./sync/embedded-worker.server";

// Validate the environment at boot: a bad variable stops the server before it serves anything.
env();
startEmbeddedWorker();

// The app's server (server.ts) takes webhook ingest from the build, so that ingest, the Remix routes and
// the embedded worker share one copy of every module (the queue, its wake-up signal, the metrics).
export { drainIngest, handleWebhookRequest, isWebhookRequest } from "./webhooks/http.server";

export const streamTimeout = 5000;

/**
 * The library's document headers preload App Bridge from Shopify's CDN, while AppProvider (app/routes/app.tsx)
 * loads it from APP_BRIDGE_URL when one is configured (the emulator's stand-in on a local stack): the
 * preload must name the script the page will actually run, or an offline browser fails a request for a
 * script nobody uses. Unset (production), the library's header stays as it is.
 */
function preloadAppBridgeFromConfiguredUrl(headers: Headers) {
  const appBridgeUrl = env().APP_BRIDGE_URL;
  if (!appBridgeUrl || !headers.has("Link")) return;
  headers.set("Link", `<${appBridgeUrl}>; rel="preload"; as="script";`);
}

export default async function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
) {
  addDocumentResponseHeaders(request, responseHeaders);
  preloadAppBridgeFromConfiguredUrl(responseHeaders);
  const userAgent = request.headers.get("user-agent");
  const callbackName = isbot(userAgent ?? "") ? "onAllReady" : "onShellReady";

  return new Promise((resolve, reject) => {
    const { pipe, abort } = renderToPipeableStream(<RemixServer context={remixContext} url={request.url} />, {
      [callbackName]: () => {
        const body = new PassThrough();
        const stream = createReadableStreamFromReadable(body);
        responseHeaders.set("Content-Type", "text/html");
        resolve(new Response(stream, { headers: responseHeaders, status: responseStatusCode }));
        pipe(body);
      },
      onShellError(error) {
        reject(error);
      },
      onError(error) {
        responseStatusCode = 500;
        console.error(error);
      },
    });
    setTimeout(abort, streamTimeout + 1000);
  });
}
