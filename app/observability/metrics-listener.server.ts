// GET /metrics for a process without the Remix server (`npm run worker`): what a worker runs — dead
// letters, sync jobs, Admin API calls — is counted in that process, so Prometheus must scrape it too.
// node:http rather than a framework: one route, the same scrapeAllowed and scrapeMetrics as the
// web process's app/routes/metrics.ts.
import { createServer, type Server } from "node:http";
import { scrapeAllowed, scrapeMetrics } from "./metrics.server";

export async function serveMetrics(port: number, token: string | undefined, host = "0.0.0.0"): Promise<Server> {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://worker");
    if (req.method !== "GET" || url.pathname !== "/metrics") {
      res.writeHead(404).end();
      return;
    }
    const headers = new Headers();
    if (req.headers.authorization) headers.set("authorization", req.headers.authorization);
    if (!scrapeAllowed(new Request(url, { headers }), token)) {
      res.writeHead(401, { "WWW-Authenticate": 'Bearer realm="metrics"' }).end("Unauthorized");
      return;
    }
    scrapeMetrics().then(
      ({ body, contentType }) =>
        res.writeHead(200, { "Content-Type": contentType, "Cache-Control": "no-store" }).end(body),
      (error: unknown) => res.writeHead(500).end(error instanceof Error ? error.message : String(error)),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, host, () => resolve());
  });
  return server;
}
