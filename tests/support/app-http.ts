// Serves webhook ingest over real HTTP for integration tests: a node:http server that hands every
// request to app/webhooks/http.server.ts, exactly as the app's server (server.ts) does for /webhooks/*.
// The emulator delivers to it like Shopify.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const server: Server = createServer((req, res) => {
    // Imported at the first request, not before: app/shopify.server.ts reads the environment when first
    // imported, and some tests set it (the emulator's URL) after starting this server.
    void import("~/webhooks/http.server").then(
      ({ handleWebhookRequest, isWebhookRequest }) => {
        if (isWebhookRequest(req.url)) handleWebhookRequest(req, res);
        else res.writeHead(404).end();
      },
      (error: unknown) => res.writeHead(500).end(String(error)),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
