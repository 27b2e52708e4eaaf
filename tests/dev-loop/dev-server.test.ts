// The command shopify.web.toml gives the Shopify CLI (`npm run dev:app`), started with the environment
// the CLI gives it (PORT, HMR_SERVER_PORT, HOST = the tunnel's URL, the app's credentials): it
// prepares an empty database, serves the app with Vite, serves public/, and runs Vite's HMR websocket
// on the CLI's HMR port with a client that connects through the tunnel (docs/decisions/0025).
import { randomBytes } from "node:crypto";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../tools/demo/stack";
import { HMR_PATH } from "../../tools/dev/vite-hmr";
import { isPostgres } from "../support/test-database";
import { ROOT, runCommand, type RunningCommand } from "./support";

const TUNNEL = "https://shop-sync-dev.trycloudflare.com";

/** An empty database of the kind this run tests (SQLite file, or a new PostgreSQL database). */
async function emptyDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const current = process.env.DATABASE_URL;
  if (isPostgres(current)) {
    const name = `shop_sync_dev_loop_${process.pid}`;
    const admin = new URL(current as string);
    admin.pathname = "/postgres";
    const run = async (sql: string) => {
      const client = new pg.Client({ connectionString: admin.toString() });
      await client.connect();
      await client.query(sql).finally(() => client.end());
    };
    await run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await run(`CREATE DATABASE "${name}"`);
    const url = new URL(admin);
    url.pathname = `/${name}`;
    return { url: url.toString(), drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
  }
  const dir = mkdtempSync(path.join(tmpdir(), "shop-sync-dev-loop-"));
  return {
    url: `file:${path.join(dir, "dev.sqlite")}`,
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function appliedMigrations(url: string): Promise<string[]> {
  const sql = `SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL ORDER BY migration_name`;
  if (isPostgres(url)) {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ migration_name: string }>(sql)).rows.map((row) => row.migration_name);
    } finally {
      await client.end();
    }
  }
  const db = new Database(url.slice("file:".length), { readonly: true });
  try {
    return (db.prepare(sql).all() as { migration_name: string }[]).map((row) => row.migration_name);
  } finally {
    db.close();
  }
}

let database: Awaited<ReturnType<typeof emptyDatabase>>;
let dev: RunningCommand;
let port: number;
let hmrPort: number;

beforeAll(async () => {
  database = await emptyDatabase();
  [port, hmrPort] = [await freePort(), await freePort()];
  // What the CLI's web process passes (its environment plus PORT), minus what it does not set.
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    NODE_ENV: "development",
    HOST: TUNNEL,
    APP_URL: TUNNEL,
    PORT: String(port),
    SERVER_PORT: String(port),
    FRONTEND_PORT: String(port),
    BACKEND_PORT: String(port),
    HMR_SERVER_PORT: String(hmrPort),
    WORKER_IN_WEB_PROCESS: "false",
  };
  delete env.SHOPIFY_APP_URL;
  dev = runCommand("npm", ["run", "dev:app"], env);
  const { matched } = await dev.waitFor(/Local:\s+http:\/\/localhost:\d+/, 150_000);
  if (!matched) throw new Error(`npm run dev:app did not start:\n${dev.output()}`);
}, 180_000);

afterAll(async () => {
  await dev?.stop();
  await database?.drop();
});

describe("npm run dev:app (the dev command of shopify.web.toml)", () => {
  it("migrates the database before it serves", async () => {
    const expected = readdirSync(path.join(ROOT, "prisma/migrations"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name)
      .sort();
    expect(await appliedMigrations(database.url)).toEqual(expected);
  });

  it("serves the app on the CLI's PORT, with the favicon from public/ linked from the root document", async () => {
    const favicon = await fetch(`http://localhost:${port}/favicon.ico`);
    expect(favicon.status).toBe(200);
    expect(favicon.headers.get("content-type")).toBe("image/x-icon");
    // ICO header: reserved 0, type 1 (icon).
    expect([...new Uint8Array(await favicon.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);

    const page = await fetch(`http://localhost:${port}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<link rel="icon" href="\/favicon.ico"/);
  }, 60_000);

  it("gives the browser an HMR client that connects through the tunnel, on the HMR path", async () => {
    const client = await (await fetch(`http://localhost:${port}/@vite/client`)).text();
    expect(client).toContain("const hmrPort = 443;");
    expect(client).toContain(`\${"${HMR_PATH}"}`);
  });

  it("runs Vite's HMR websocket on HMR_SERVER_PORT, where the CLI's proxy sends websockets", async () => {
    const socket = new WebSocket(`ws://localhost:${hmrPort}${HMR_PATH}`, "vite-hmr");
    const first = await new Promise<string>((resolve, reject) => {
      socket.onmessage = (event) => resolve(String(event.data));
      socket.onerror = () => reject(new Error("HMR websocket failed"));
    }).finally(() => socket.close());
    expect(JSON.parse(first)).toEqual({ type: "connected" });
  });

  it("accepts the browser's HMR handshake as the CLI's proxy forwards it (tunnel Host, page Origin, token)", async () => {
    // The proxy passes the browser's headers through unchanged: Host is the tunnel's name, Origin the
    // page's. Vite accepts that only for an allowed host and with the page's token.
    const client = await (await fetch(`http://localhost:${port}/@vite/client`)).text();
    const token = /const wsToken = "([^"]+)";/.exec(client)?.[1];
    expect(token).toBeTruthy();
    const handshake = (query: string) =>
      new Promise<number>((resolve, reject) => {
        const req = request({
          host: "localhost",
          port: hmrPort,
          path: `${HMR_PATH}${query}`,
          headers: {
            Host: new URL(TUNNEL).host,
            Origin: TUNNEL,
            Connection: "Upgrade",
            Upgrade: "websocket",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": randomBytes(16).toString("base64"),
            "Sec-WebSocket-Protocol": "vite-hmr",
          },
        });
        req.on("upgrade", (response, socket) => {
          socket.destroy();
          resolve(response.statusCode ?? 0);
        });
        req.on("response", (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        });
        req.on("error", reject);
        req.end();
      });
    expect(await handshake(`?token=${token}`)).toBe(101);
    // Without the page's token, another site's page cannot listen to the dev server.
    expect(await handshake("")).not.toBe(101);
  });
});
