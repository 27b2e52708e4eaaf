// The app's HTTP server (docs/decisions/0027-lean-ingest-server.md): `npm start` (production build) and
// `npm run dev:app` (`--dev`: Vite's dev server in middleware mode, as `shopify app dev` runs it).
// - Requests under /webhooks/ go straight to webhook ingest (app/webhooks/http.server.ts) on node:http:
//   no Express, no Remix routing, no Fetch API objects — Shopify's deliveries are the hot path.
// - Everything else goes through Express: compression, the build's assets (immutable), public/, then
//   Remix's request handler — what remix-serve did, without its request log.
// - WEB_PROCESSES=n runs n such processes as a node:cluster sharing the port (PostgreSQL; SQLite has
//   one writer, so one process).
// - SIGTERM/SIGINT: stop accepting, refuse new deliveries with 503, answer the ones in flight, let their
//   commits settle, stop the embedded worker, then exit (docs/decisions/0028-ingest-overload-stalls-shutdown.md).
import cluster from "node:cluster";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import net from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createRequestHandler } from "@remix-run/express";
import { installGlobals, type ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";

installGlobals({ nativeFetch: true });

const dev = process.argv.includes("--dev");
const port = Number(process.env.PORT || 3000);
/** How long a shutdown waits for in-flight work before the process exits anyway. */
const SHUTDOWN_GRACE_MS = Number(process.env.SHUTDOWN_GRACE_MS || 25_000);
// How long a stopping server still answers what is on the wire before it stops accepting (below).
const SHUTDOWN_LINGER_MS = Number(process.env.SHUTDOWN_LINGER_MS || 1_000);
const webProcesses = dev ? 1 : Math.max(1, Number(process.env.WEB_PROCESSES || 1));
// Connections the kernel holds for us until the event loop accepts them (Node's default is 511; the
// kernel caps it at net.core.somaxconn). When a burst of Shopify's senders opens more connections at
// once than the queue holds, the kernel drops their handshakes and they retransmit after 1 s, 3 s, 7 s…:
// `npm run bench:webhooks` at twice capacity saw answers tens of seconds late, and the kernel's
// ListenOverflows counter (`nstat`) climbing, with the default.
const LISTEN_BACKLOG = 4096;
// Listening sockets per web process (production): Node accepts one pending connection per listening
// socket per turn of its event loop (`npx tsx benchmarks/node-accept-rate.ts`), and under load a turn
// takes tens of milliseconds, so with one socket a burst of new connections from Shopify's senders
// waited in the kernel's queue for seconds. Several sockets bound to the port with SO_REUSEPORT (the
// kernel spreads connections over them) accept that many per turn; they hand their connections to the
// one HTTP server (docs/decisions/0043-ingest-event-loop-turns.md). 64 rather than 8: a sender that
// opens its pool at once (a flash sale's first second: ~1,000 connections) is accepted in about 16
// turns instead of 125; at twice capacity 8 left connections waiting up to 7–9 s, 64 under 1 s
// (docs/decisions/0045-short-processing-pages-many-accept-sockets.md).
// SO_REUSEPORT spreads connections this way on Linux only (Node's `reusePort`); elsewhere (a developer's
// macOS running `npm start`) one socket.
const ACCEPT_SOCKETS = Math.max(1, Number(process.env.ACCEPT_SOCKETS || (process.platform === "linux" ? 64 : 1)));

/** What server.ts uses of the build's entry module (app/entry.server.tsx re-exports it). */
interface IngestEntry {
  handleWebhookRequest(req: IncomingMessage, res: ServerResponse): void;
  isWebhookRequest(url: string | undefined): boolean;
  drainIngest(): Promise<void>;
}
const ingestOf = (build: ServerBuild) => build.entry.module as unknown as IngestEntry;

if (webProcesses > 1 && cluster.isPrimary) {
  runPrimary(webProcesses);
} else {
  await runWebProcess();
}

/** The cluster's primary: forks the web processes, passes signals on, exits when they all have. */
function runPrimary(count: number): void {
  for (let i = 0; i < count; i++) cluster.fork();
  let stopping = false;
  // A web process that did not drain (forced out after the grace period, or killed) makes the whole
  // server exit non-zero, so the orchestrator that stopped it sees the failure.
  let drainFailed = false;
  cluster.on("exit", (worker, code, signal) => {
    if (stopping) {
      if (code !== 0 || signal) {
        drainFailed = true;
        console.error(`[server] web process ${worker.process.pid} did not drain (${signal ?? code})`);
      }
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(drainFailed ? 1 : 0);
      return;
    }
    console.error(`[server] web process ${worker.process.pid} exited (${signal ?? code}); starting another`);
    cluster.fork();
  });
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      stopping = true;
      for (const worker of Object.values(cluster.workers ?? {})) worker?.process.kill(signal);
    });
  }
}

async function runWebProcess(): Promise<void> {
  const app = express();
  app.disable("x-powered-by");
  const server = createServer();
  let ingest: () => Promise<IngestEntry>;
  // Signals are handled from the start: until the process serves (below) there is nothing to drain,
  // and it stops at once rather than dying of the signal (which a cluster's primary counts as a web
  // process that did not drain).
  let drainOnSignal: ((signal: string) => Promise<void>) | null = null;
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.once(signal, () => {
      if (drainOnSignal) void drainOnSignal(signal);
      else {
        console.log(`[server] ${signal} before serving; exiting`);
        process.exit(0);
      }
    });
  }

  if (dev) {
    const vite = await import("vite");
    // Vite's HMR websocket (vite.config.ts, tools/dev/vite-hmr.ts): on the CLI's HMR_SERVER_PORT when
    // it gives one (Vite listens there itself), else on this server's port.
    const viteServer = await vite.createServer({
      server: { middlewareMode: true, ...(process.env.HMR_SERVER_PORT ? {} : { hmr: { server } }) },
      appType: "custom",
    });
    const load = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    ingest = async () => ingestOf(await load());
    app.use(viteServer.middlewares);
    app.all("*", createRequestHandler({ build: load, mode: "development" }));
  } else {
    const buildPath = path.resolve("build/server/index.js");
    const build = (await import(pathToFileURL(buildPath).href)) as ServerBuild;
    ingest = async () => ingestOf(build);
    app.use(compression());
    app.use(build.publicPath, express.static(build.assetsBuildDirectory, { immutable: true, maxAge: "1y" }));
    app.use(express.static("public", { maxAge: "1h" }));
    app.all("*", createRequestHandler({ build, mode: process.env.NODE_ENV }));
  }
  // Loaded before listening: the build's entry starts the embedded worker and validates the environment.
  const entry = await ingest();

  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    if (!entry.isWebhookRequest(req.url)) {
      app(req, res);
      return;
    }
    if (!dev) {
      entry.handleWebhookRequest(req, res);
      return;
    }
    // Development: the entry as Vite has it now (an edit reloads it).
    ingest().then(
      (current) => current.handleWebhookRequest(req, res),
      (error: unknown) => {
        console.error(error);
        res.writeHead(500).end();
      },
    );
  });

  const host = dev ? undefined : process.env.HOST || undefined;
  const accepting = dev ? await listenOn(server, host) : await acceptOnSockets(server, host);
  // `shopify app dev` and tests/dev-loop wait for this line (it is Vite's own wording).
  console.log(`  ➜  Local:   http://localhost:${port}/`);

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`[server] ${signal}: draining in-flight requests and ingest batches`);
    const forced = setTimeout(() => {
      console.error(`[server] still busy after ${SHUTDOWN_GRACE_MS} ms; exiting`);
      process.exit(1);
    }, SHUTDOWN_GRACE_MS);
    forced.unref();
    const current = await ingest();
    // From here every new delivery is refused with 503 and `Connection: close`.
    const drained = current.drainIngest();
    // A request already sent on a keep-alive connection looks idle to Node until the event loop has
    // read it, and server.close() closes idle connections at once: the client would get no answer
    // (seen in tests/webhooks/shutdown.test.ts with the machine's cores busy). So the server first
    // lingers, answering what is on the wire (deliveries with 503 and `Connection: close`), and only
    // then stops accepting and closes the connections that stay idle.
    await new Promise((resolve) => setTimeout(resolve, SHUTDOWN_LINGER_MS));
    const closed = accepting.stop();
    const idle = setInterval(() => server.closeIdleConnections(), 100);
    await drained;
    await closed;
    clearInterval(idle);
    await globalThis.shopSyncEmbeddedWorker?.stop().catch(() => undefined);
    console.log("[server] drained; exiting");
    process.exit(0);
  };
  drainOnSignal = shutdown;
}

/** How the web process accepts connections; stop() stops accepting and resolves once every one closed. */
interface Accepting {
  stop(): Promise<void>;
}

/** Development: the HTTP server listens itself (Vite's HMR websocket attaches to it). */
async function listenOn(server: Server, host: string | undefined): Promise<Accepting> {
  await new Promise<void>((resolve) => server.listen({ port, host, backlog: LISTEN_BACKLOG }, resolve));
  return { stop: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * Production: ACCEPT_SOCKETS listening sockets on the port (SO_REUSEPORT, each bound by this process:
 * `exclusive`, so that in a cluster every web process binds its own rather than waiting for the
 * primary's hand-offs), each handing its connections to `server`.
 */
async function acceptOnSockets(server: Server, host: string | undefined): Promise<Accepting> {
  const open = new Set<net.Socket>();
  let allClosed: (() => void) | null = null;
  const accept = (socket: net.Socket) => {
    open.add(socket);
    socket.once("close", () => {
      open.delete(socket);
      if (open.size === 0) allClosed?.();
    });
    server.emit("connection", socket);
  };
  const listeners: net.Server[] = [];
  let boundPort = port;
  for (let i = 0; i < ACCEPT_SOCKETS; i++) {
    const listener = net.createServer(accept);
    await new Promise<void>((resolve, reject) => {
      listener.once("error", reject);
      listener.listen(
        { port: boundPort, host, backlog: LISTEN_BACKLOG, reusePort: ACCEPT_SOCKETS > 1, exclusive: true },
        () => {
          listener.off("error", reject);
          resolve();
        },
      );
    });
    // PORT=0: the first socket's port, for the others.
    const address = listener.address();
    if (typeof address === "object" && address) boundPort = address.port;
    listeners.push(listener);
  }
  // What listen() would have done for `server`: it starts tracking its connections (request and header
  // timeouts, closeIdleConnections) on "listening".
  server.emit("listening");
  return {
    async stop() {
      await Promise.all(listeners.map((listener) => new Promise<void>((resolve) => listener.close(() => resolve()))));
      // Closes the idle keep-alive connections and ends the tracking; the callback reports only that
      // `server` itself never listened.
      server.close(() => undefined);
      if (open.size > 0) await new Promise<void>((resolve) => (allClosed = resolve));
    },
  };
}
