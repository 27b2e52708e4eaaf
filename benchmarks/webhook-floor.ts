// The floor of the webhook benchmark (benchmarks/webhooks.ts): a bare node:http server, in a process of
// its own, that does the least an ingest must do — read the body, check the HMAC (401 if wrong), insert
// the delivery into shopify_webhook_events (one prepared INSERT per request: better-sqlite3 on SQLite,
// a pg pool on PostgreSQL), answer 200 once it is committed (also for a duplicate webhook id). No
// framework, no session read, no job. Config in BENCH_FLOOR (JSON); prints {"url": …} when listening.
import { createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import http from "node:http";
import Database from "better-sqlite3";
import pg from "pg";

interface FloorConfig {
  /** A migrated SQLite file path, or a postgresql:// URL. */
  database: string;
  secret: string;
}

const config = JSON.parse(process.env.BENCH_FLOOR ?? "{}") as FloorConfig;
const COLUMNS = [
  "id",
  "shop",
  "webhookId",
  "topic",
  "eventId",
  "triggeredAt",
  "apiVersion",
  "headers",
  "rawBody",
  "status",
  "receivedAt",
];

type Insert = (values: unknown[]) => Promise<"stored" | "duplicate">;

function sqliteInsert(file: string): Insert {
  // The app's connection settings (app/db.server.ts): the file's journal mode (WAL, set by the benchmark
  // as the app sets it), synchronous FULL, a 10 s busy timeout.
  const database = new Database(file, { timeout: 10_000 });
  const statement = database.prepare(
    `INSERT INTO shopify_webhook_events (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map(() => "?").join(", ")})`,
  );
  return async (values) => {
    try {
      statement.run(values);
      return "stored";
    } catch (error) {
      if ((error as { code?: string }).code === "SQLITE_CONSTRAINT_UNIQUE") return "duplicate";
      throw error;
    }
  };
}

function postgresInsert(url: string): Insert {
  // The app's pool size (DATABASE_POOL_MAX, default 10).
  const pool = new pg.Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_MAX ?? 10) });
  const text = `INSERT INTO shopify_webhook_events (${COLUMNS.map((c) => `"${c}"`).join(", ")}) VALUES (${COLUMNS.map((_c, i) => `$${i + 1}`).join(", ")})`;
  return async (values) => {
    try {
      await pool.query({ name: "floor-insert", text, values });
      return "stored";
    } catch (error) {
      if ((error as { code?: string }).code === "23505") return "duplicate";
      throw error;
    }
  };
}

const insert = config.database.startsWith("postgres") ? postgresInsert(config.database) : sqliteInsert(config.database);
const secret = config.secret;

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (chunk: Buffer) => chunks.push(chunk));
  req.on("end", () => {
    const raw = Buffer.concat(chunks);
    const expected = createHmac("sha256", secret).update(raw).digest();
    const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401).end();
      return;
    }
    const header = (name: string) => {
      const value = req.headers[name];
      return typeof value === "string" ? value : null;
    };
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(([name]) => name.startsWith("x-shopify-") && name !== "x-shopify-hmac-sha256"),
    );
    const triggeredAt = header("x-shopify-triggered-at");
    insert([
      randomUUID(),
      header("x-shopify-shop-domain"),
      header("x-shopify-webhook-id"),
      header("x-shopify-topic"),
      header("x-shopify-event-id"),
      triggeredAt ? new Date(triggeredAt).toISOString() : null,
      header("x-shopify-api-version"),
      JSON.stringify(headers),
      raw.toString("utf8"),
      "received",
      new Date().toISOString(),
    ]).then(
      () => res.writeHead(200).end(),
      () => res.writeHead(503).end(),
    );
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, "127.0.0.1", () => {
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ url: `http://127.0.0.1:${port}` })}\n`);
});
