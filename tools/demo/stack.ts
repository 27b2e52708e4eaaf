// The demo stack, shared by `npm run demo` and the browser tests (tests/e2e): the local Shopify
// emulator and the built app (server.ts, SQLite, worker inside the web process) as two child
// processes on free ports, a seeded shop, and the install through the real token-exchange path: the
// admin shell is loaded once, and its iframe URL (with a fresh `id_token`) is requested from the app,
// which exchanges the token with the emulator and requests the first full sync in afterAuth.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { createWriteStream, existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

export const DEMO_API_KEY = "shop-sync-demo-client-id";
export const DEMO_API_SECRET = "shop-sync-demo-client-secret";
export const DEMO_SHOP = "shop-sync-demo.myshopify.com";
const BROWSER_UA =
  "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const SCOPES = "read_products,read_inventory,read_locations,read_orders";

export interface StackOptions {
  shop?: string;
  products?: number;
  orders?: number;
  /** Seed dates: orders fall in the last `days` days (the app has no read_all_orders: 60 days max). */
  days?: number;
  /** SQLite file, relative to the repository; recreated on every start. */
  databaseFile?: string;
  /** Another database instead (a PostgreSQL URL): migrated, not recreated. */
  databaseUrl?: string;
  /** Run the queue's worker inside the app process (default true); false: start `worker.ts` yourself. */
  workerInWebProcess?: boolean;
  /** Where the children's output goes (emulator.log, app.log). */
  logDir?: string;
  /** Emulator webhook retry backoff multiplier (1 = Shopify's minutes). */
  timeScale?: number;
  log?: (line: string) => void;
}

export interface SyncJob {
  id: number;
  kind: string;
  resource: string;
  status: string;
  doneCount: number;
  totalCount: number | null;
  progress: number | null;
  error: string | null;
}

export interface Stack {
  shop: string;
  shopName: string;
  apiKey: string;
  apiSecret: string;
  appUrl: string;
  emulatorUrl: string;
  /** The admin shell page that embeds the app (what a merchant opens). */
  shellUrl: string;
  databaseFile: string;
  logDir: string;
  /** The app's environment (for a worker process of the same app). */
  env: NodeJS.ProcessEnv;
  /** A fresh session token for the shop, from the shell's token endpoint (as App Bridge gets it). */
  sessionToken(): Promise<string>;
  /** The app's JSON API with a session token. */
  api<T = unknown>(pathname: string, init?: RequestInit): Promise<{ status: number; body: T }>;
  /** The emulator's control API (`/__emulator/…`). */
  control<T = unknown>(pathname: string, init?: { method?: string; body?: unknown }): Promise<T>;
  install(): Promise<void>;
  storeId(): Promise<number>;
  syncJobs(): Promise<SyncJob[]>;
  /** The admin shell's page of the shop's first product (its admin blocks on it). */
  productPageUrl(): Promise<string>;
  /** Waits until every full sync (or the jobs `which` picks) has finished; throws on a failed one. */
  waitForSyncs(options?: {
    timeoutMs?: number;
    which?: (job: SyncJob) => boolean;
    onProgress?: (jobs: SyncJob[]) => void;
  }): Promise<SyncJob[]>;
  stop(): Promise<void>;
}

const log0 = (line: string): void => void process.stdout.write(`${line}\n`);

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv, label: string): void {
  const result = spawnSync(command, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"], encoding: "utf8" });
  if (result.status !== 0) {
    throw new Error(`${label} failed (exit ${result.status}):\n${result.stdout}\n${result.stderr}`.trim());
  }
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs);
  }
  return newest;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const bin = (name: string, file: string) => path.join(ROOT, "node_modules", name, file);

/** `npm run build` when the build is older than app/, public/, vite.config.ts or the lockfile. */
export function buildAppIfStale(env: NodeJS.ProcessEnv, log = log0): void {
  const built = path.join(ROOT, "build/server/index.js");
  const sources = Math.max(
    newestMtime(path.join(ROOT, "app")),
    newestMtime(path.join(ROOT, "public")),
    ...["vite.config.ts", "package-lock.json"].map((f) => statSync(path.join(ROOT, f)).mtimeMs),
  );
  if (!existsSync(built) || statSync(built).mtimeMs < sources) {
    log("• npm run build");
    run(npm, ["run", "build"], env, "npm run build");
  }
}

/** `npm run setup` when its outputs are missing, `npm run build` when the build is older than app/ or public/. */
export function prepare(env: NodeJS.ProcessEnv, log = log0): void {
  const schema = path.join(ROOT, "tools/admin-schema/data/admin_2026-10.json.gz");
  const client = path.join(ROOT, "node_modules/.prisma/client/index.js");
  if (!existsSync(schema) || !existsSync(client)) {
    log("• npm run setup (Admin schema, Prisma clients, migrations)");
    run(npm, ["run", "setup"], env, "npm run setup");
  }
  buildAppIfStale(env, log);
  // The product page's admin block, which the emulator's admin shell shows (extensions/).
  const block = path.join(ROOT, "extensions/product-sync-status");
  const bundle = path.join(block, "dist/product-sync-status.js");
  const blockSources = Math.max(newestMtime(path.join(block, "src")), newestMtime(path.join(block, "locales")));
  if (!existsSync(bundle) || statSync(bundle).mtimeMs < blockSources) {
    log("• shopify app build (the product block extension)");
    run(
      process.execPath,
      [bin("@shopify/cli", "bin/run.js"), "app", "build"],
      { ...env, CI: "1" },
      "shopify app build",
    );
  }
}

function startChild(label: string, args: string[], env: NodeJS.ProcessEnv, logFile: string): ChildProcess {
  const out = createWriteStream(logFile, { flags: "w" });
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  child.stdout?.pipe(out, { end: false });
  child.stderr?.pipe(out, { end: false });
  child.once("exit", (code, signal) => {
    out.end(`\n[${label} exited: ${signal ?? code}]\n`);
  });
  return child;
}

async function waitForHttp(url: string, child: ChildProcess, label: string, logFile: string, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${label} exited (${child.exitCode}); see ${logFile}`);
    try {
      const res = await fetch(url);
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${label} did not answer ${url} within ${timeoutMs} ms; see ${logFile}`);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

/** `src="…"` of the shell's app iframe, HTML-unescaped. */
export function iframeSrc(html: string): string {
  const match = /<iframe[^>]*\bsrc="([^"]+)"/.exec(html);
  if (!match) throw new Error("admin shell: no app iframe");
  return match[1]!
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? log0;
  const shop = options.shop ?? DEMO_SHOP;
  const shopName = shop.replace(/\.myshopify\.com$/, "");
  const databaseFile = options.databaseFile ?? "prisma/demo.sqlite";
  const logDir = path.resolve(ROOT, options.logDir ?? ".cache/demo");
  mkdirSync(logDir, { recursive: true });

  const [emulatorPort, appPort] = [await freePort(), await freePort()];
  // Both on `localhost`: the shell and the app are then the same site (ports do not count), as
  // admin.shopify.com and an app are not, but browsers that block third-party storage in frames
  // (Chromium's headless and incognito defaults) would otherwise break the app's sessionStorage.
  const emulatorUrl = `http://localhost:${emulatorPort}`;
  const appUrl = `http://localhost:${appPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: "production",
    SHOPIFY_API_KEY: DEMO_API_KEY,
    SHOPIFY_API_SECRET: DEMO_API_SECRET,
    SHOPIFY_APP_URL: appUrl,
    SCOPES,
    SHOPIFY_EMULATOR_URL: emulatorUrl,
    APP_BRIDGE_URL: `${emulatorUrl}/app-bridge.js`,
    // The production build against the local emulator: allowed here only (app/env.server.ts).
    ALLOW_EMULATOR_IN_PRODUCTION: "true",
    // A key made for this run: the demo database is recreated on every start.
    TOKEN_ENCRYPTION_KEYS: `demo:${randomBytes(32).toString("base64")}`,
    DATABASE_URL: options.databaseUrl ?? `file:${databaseFile}`,
    WORKER_IN_WEB_PROCESS: String(options.workerInWebProcess ?? true),
    LOG_LEVEL: process.env.LOG_LEVEL ?? "info",
    PORT: String(appPort),
    HOST: "127.0.0.1",
  };

  prepare(env, log);
  if (!options.databaseUrl) {
    for (const suffix of ["", "-journal", "-wal", "-shm"])
      rmSync(path.resolve(ROOT, databaseFile + suffix), { force: true });
  }
  log(`• database ${options.databaseUrl ? "PostgreSQL" : databaseFile} (prisma migrate deploy)`);
  run(process.execPath, [bin("prisma", "build/index.js"), "migrate", "deploy"], env, "prisma migrate deploy");

  const children: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(children.map(stopChild));
  };
  try {
    // The same as `npm run emulator -- serve …`, without npm in between (signals reach the server).
    const emulatorLog = path.join(logDir, "emulator.log");
    const emulator = startChild(
      "emulator",
      [
        "--import",
        "tsx",
        "tools/shopify-emulator/src/main.ts",
        "serve",
        "--port",
        String(emulatorPort),
        "--host",
        "localhost",
        "--public-url",
        emulatorUrl,
        "--toml",
        "shopify.app.toml",
        "--app-url",
        appUrl,
        "--api-key",
        DEMO_API_KEY,
        "--api-secret",
        DEMO_API_SECRET,
        "--time-scale",
        String(options.timeScale ?? 1),
      ],
      env,
      emulatorLog,
    );
    children.push(emulator);
    log(`• emulator on ${emulatorUrl} (log: ${path.relative(ROOT, emulatorLog)})`);

    const appLog = path.join(logDir, "app.log");
    // `npm start`'s server (server.ts) without npm in between (signals reach the server).
    const app = startChild("app", ["--import", "tsx", "server.ts"], env, appLog);
    children.push(app);
    log(`• app on ${appUrl} (log: ${path.relative(ROOT, appLog)})`);

    await waitForHttp(`${emulatorUrl}/__emulator/health`, emulator, "emulator", emulatorLog);
    await waitForHttp(`${appUrl}/healthz`, app, "app", appLog);
  } catch (error) {
    await stop();
    throw error;
  }

  const control: Stack["control"] = async (pathname, init = {}) => {
    const res = await fetch(`${emulatorUrl}/__emulator${pathname}`, {
      method: init.method ?? (init.body === undefined ? "GET" : "POST"),
      ...(init.body !== undefined && {
        headers: { "content-type": "application/json" },
        body: JSON.stringify(init.body),
      }),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`emulator ${init.method ?? "GET"} ${pathname}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as never;
  };

  // Seeded through the control API rather than `--products/--orders`: the dates must be recent (the app
  // reads 60 days of orders, the dashboard shows 30), and the CLI flags keep the 2025 default.
  const days = options.days ?? 50;
  const to = new Date();
  const from = new Date(to.getTime() - days * 86_400_000);
  const seeded = await control<{ counts: Record<string, number>; seedMs: number }>("/shops", {
    body: {
      shop,
      name: "Shop Sync Demo",
      plan: "advanced",
      currencyCode: "USD",
      seed: {
        seed: "shop-sync-demo",
        products: options.products ?? 2000,
        orders: options.orders ?? 3000,
        locations: 3,
        from: from.toISOString(),
        to: to.toISOString(),
      },
    },
  }).catch(async (error: unknown) => {
    await stop();
    throw error;
  });
  log(`• seeded ${shop}: ${JSON.stringify(seeded.counts)} in ${seeded.seedMs} ms`);

  const shellBase = `${emulatorUrl}/store/${shopName}/apps/${DEMO_API_KEY}`;
  const sessionToken = async () => {
    const res = await fetch(`${shellBase}/__shell/id-token`);
    if (!res.ok) throw new Error(`id-token: ${res.status}`);
    return ((await res.json()) as { token: string }).token;
  };
  const api: Stack["api"] = async (pathname, init = {}) => {
    const headers = new Headers(init.headers);
    headers.set("Authorization", `Bearer ${await sessionToken()}`);
    if (!headers.has("User-Agent")) headers.set("User-Agent", BROWSER_UA);
    const res = await fetch(new URL(pathname, appUrl), { ...init, headers });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON
    }
    return { status: res.status, body: body as never };
  };
  let cachedStoreId: number | undefined;
  const storeId = async () => {
    if (cachedStoreId !== undefined) return cachedStoreId;
    const { status, body } = await api<{ data: Array<{ id: number }> }>("/api/v1/shopify/stores");
    if (status !== 200 || !body.data[0]) throw new Error(`GET /api/v1/shopify/stores: ${status}`);
    return (cachedStoreId = body.data[0].id);
  };
  const syncJobs = async () => {
    const { status, body } = await api<{ data: SyncJob[] }>(`/api/v1/shopify/stores/${await storeId()}/sync/jobs`);
    if (status !== 200) throw new Error(`GET sync/jobs: ${status}`);
    return body.data;
  };

  return {
    shop,
    shopName,
    apiKey: DEMO_API_KEY,
    apiSecret: DEMO_API_SECRET,
    appUrl,
    emulatorUrl,
    shellUrl: shellBase,
    databaseFile,
    logDir,
    env,
    sessionToken,
    api,
    control,
    storeId,
    syncJobs,
    async productPageUrl() {
      const { products } = await control<{ products: Array<{ id: string }> }>(`/shops/${shop}/store`);
      const first = products[0];
      if (!first) throw new Error("the demo shop has no products");
      return `${emulatorUrl}/store/${shopName}/products/${first.id}`;
    },
    async install() {
      // A merchant opening the app: the shell frames {appUrl}?embedded=1&shop&host&id_token. Loading
      // that URL makes the library exchange the session token for an offline token (afterAuth runs).
      const shell = await fetch(shellBase);
      if (!shell.ok) throw new Error(`admin shell: ${shell.status}`);
      const src = iframeSrc(await shell.text());
      let url = src;
      for (let hop = 0; hop < 5; hop++) {
        // A browser's User-Agent: the library answers self-identified bots (Node's fetch) with 410.
        const res = await fetch(url, { redirect: "manual", headers: { "User-Agent": BROWSER_UA } });
        await res.arrayBuffer();
        const location = res.headers.get("location");
        if (res.status >= 300 && res.status < 400 && location) {
          const next = new URL(location, url);
          // The app's own redirects (/ → /app) keep the embedded parameters; a fresh token per hop.
          if (next.origin === new URL(appUrl).origin && next.searchParams.has("id_token"))
            next.searchParams.set("id_token", await sessionToken());
          url = next.toString();
          continue;
        }
        if (res.status !== 200) throw new Error(`install: GET ${new URL(url).pathname} answered ${res.status}`);
        return;
      }
      throw new Error("install: too many redirects");
    },
    async waitForSyncs({ timeoutMs = 10 * 60_000, which = (job: SyncJob) => job.kind === "full", onProgress } = {}) {
      // Reconciliation schedules its next run hours ahead (a queued row): only the chosen jobs count.
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const jobs = (await syncJobs()).filter(which);
        onProgress?.(jobs);
        const failed = jobs.filter((j) => j.status === "failed");
        if (failed.length) throw new Error(`sync failed: ${failed.map((j) => `${j.resource}: ${j.error}`).join("; ")}`);
        if (jobs.length > 0 && jobs.every((j) => !["queued", "running"].includes(j.status))) return jobs;
        if (Date.now() > deadline) throw new Error(`syncs not finished after ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 500));
      }
    },
    stop,
  };
}
