// Test support: a tiny HTTP receiver that hands every delivery to the real library's
// `authenticate.webhook`, the way an app's webhook route would, and records what it saw.
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";

export interface Received {
  webhookId: string;
  topic: string;
  shop: string;
  apiVersion: string;
  rawBody: string;
  status: number;
  headers: IncomingMessage["headers"];
  at: number;
}

export type Authenticate = (
  request: Request,
) => Promise<{ webhookId: string; topic: string; shop: string; apiVersion: string }>;

export interface Receiver {
  url: string;
  received: Received[];
  /** Decide the status before authentication runs: return a number to answer with it, "hang" to never
   * answer, or undefined to authenticate and answer 200 (or the library's error status). */
  respond: (raw: string, headers: IncomingMessage["headers"]) => number | "hang" | undefined;
  close(): Promise<void>;
}

export async function startReceiver(authenticate: Authenticate): Promise<Receiver> {
  const hanging = new Set<() => void>();
  const receiver: Receiver = {
    url: "",
    received: [],
    respond: () => undefined,
    close: () =>
      new Promise<void>((resolve) => {
        for (const end of hanging) end();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  const server: Server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const decided = receiver.respond(raw, req.headers);
    if (decided === "hang") {
      hanging.add(() => res.destroy());
      return;
    }
    let status = decided ?? 200;
    const record: Received = {
      webhookId: String(req.headers["x-shopify-webhook-id"] ?? ""),
      topic: "",
      shop: "",
      apiVersion: "",
      rawBody: raw,
      status,
      headers: req.headers,
      at: Date.now(),
    };
    if (decided === undefined) {
      const request = new Request(`http://${req.headers.host}${req.url}`, {
        method: req.method,
        headers: Object.entries(req.headers).flatMap(([k, v]) =>
          typeof v === "string" ? [[k, v] as [string, string]] : [],
        ),
        body: raw,
      });
      try {
        const ctx = await authenticate(request);
        Object.assign(record, {
          topic: ctx.topic,
          shop: ctx.shop,
          apiVersion: ctx.apiVersion,
          webhookId: ctx.webhookId,
        });
      } catch (error) {
        status = error instanceof Response ? error.status : 500;
      }
    }
    record.status = status;
    receiver.received.push(record);
    res.writeHead(status).end();
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return receiver;
}
