// Serves the app's webhook routes over real HTTP for integration tests: a node:http server hands each
// request to the route module Remix would (`/webhooks/orders/create` → app/routes/webhooks.orders.create.tsx)
// as a web Request, exactly as the Remix server does. The emulator delivers to it like Shopify.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ActionFunctionArgs } from "@remix-run/node";

type Handler = (args: ActionFunctionArgs) => Promise<Response> | Response;
type RouteModule = { action: Handler; loader: Handler };

const routeModules = import.meta.glob<RouteModule>("../../app/routes/webhooks.*.tsx");

function moduleFor(pathname: string) {
  const file = `../../app/routes/${pathname.slice(1).replaceAll("/", ".")}.tsx`;
  return routeModules[file];
}

export interface AppServer {
  url: string;
  close(): Promise<void>;
}

export async function startAppServer(): Promise<AppServer> {
  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
      const load = moduleFor(url.pathname);
      if (!load) {
        res.writeHead(404).end();
        return;
      }
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(req.headers)) {
        if (typeof value === "string") headers.set(name, value);
      }
      const hasBody = req.method !== "GET" && req.method !== "HEAD";
      const request = new Request(url, {
        method: req.method,
        headers,
        body: hasBody ? Buffer.concat(chunks) : undefined,
      });
      const route = await load();
      // Remix sends GET and HEAD to the loader, every other method to the action.
      const handler = hasBody ? route.action : route.loader;
      const response = await handler({ request, params: {}, context: {} });
      res.writeHead(response.status, Object.fromEntries(response.headers));
      res.end(Buffer.from(await response.arrayBuffer()));
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
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
