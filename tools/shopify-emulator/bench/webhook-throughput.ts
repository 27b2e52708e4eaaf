// Webhook delivery throughput: how many signed deliveries per second the sender pushes to a local
// HTTP receiver (a separate process that checks each HMAC and answers 200). Prints one JSON object.
// The floor, in the same run: the same number of POSTs of the same body to the same receiver at the
// same concurrency with bare node:http (keep-alive agent) and a precomputed signature (no queueing,
// retries, ids or log), i.e. what the HTTP path itself costs. `ratioToFloor` = sender rate / floor rate.
//
//   npx tsx tools/shopify-emulator/bench/webhook-throughput.ts [--deliveries 20000] [--concurrency 256] [--body products_update]
import { fork, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { WebhookSender } from "../src/webhooks/sender";

const SECRET = "bench-secret";

const { values } = parseArgs({
  options: {
    deliveries: { type: "string", default: "20000" },
    concurrency: { type: "string", default: "256" },
    body: { type: "string", default: "products_update" },
    warmup: { type: "string", default: "2000" },
  },
});
const total = Number(values.deliveries);
const warmup = Number(values.warmup);
const body = readFileSync(
  fileURLToPath(new URL(`../test-fixtures/webhook-samples/${values.body}.json`, import.meta.url)),
  "utf8",
);

// ---- receiver process --------------------------------------------------------------------------
if (process.env.BENCH_RECEIVER === "1") {
  const { createServer } = await import("node:http");
  const { createHmac, timingSafeEqual } = await import("node:crypto");
  let received = 0;
  let bad = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks);
      const expected = createHmac("sha256", SECRET).update(raw).digest();
      const given = Buffer.from(String(req.headers["x-shopify-hmac-sha256"] ?? ""), "base64");
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) bad++;
      received++;
      res.writeHead(200).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  server.listen(0, "127.0.0.1", () => {
    const address = server.address();
    process.send!({ port: typeof address === "object" && address ? address.port : 0 });
  });
  process.on("message", () => process.send!({ received, bad }));
} else {
  const child: ChildProcess = fork(fileURLToPath(import.meta.url), process.argv.slice(2), {
    env: { ...process.env, BENCH_RECEIVER: "1" },
    execArgv: process.execArgv,
  });
  const port = await new Promise<number>((resolve) => child.once("message", (m: { port: number }) => resolve(m.port)));
  const sender = new WebhookSender({
    app: {
      apiKey: "k",
      apiSecret: SECRET,
      appUrl: "http://127.0.0.1",
      scopes: [],
      webhookApiVersion: "2026-10",
      webhookSubscriptions: [],
    },
    timeScale: () => 1,
    maxConcurrency: Number(values.concurrency),
    maxLogEntries: total + warmup,
  });
  const target = { uri: `http://127.0.0.1:${port}/webhooks`, apiVersion: "2026-10", source: "bench" };
  const run = async (n: number) => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      sender.enqueue({
        shop: "bench.myshopify.com",
        topic: "products/update",
        body,
        target,
        eventId: String(i),
        triggeredAt: new Date(),
      });
    }
    await sender.flush({ timeoutMs: 600_000 });
    return performance.now() - t0;
  };
  await run(warmup);
  sender.clearLog();
  const ms = await run(total);
  const stats = sender.stats();

  const { createHmac } = await import("node:crypto");
  const http = await import("node:http");
  const signature = createHmac("sha256", SECRET).update(body).digest("base64");
  const agent = new http.Agent({ keepAlive: true, maxSockets: Number(values.concurrency) });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const request = http.request(
        target.uri,
        {
          method: "POST",
          agent,
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            "x-shopify-hmac-sha256": signature,
          },
        },
        (response) => {
          response.resume();
          response.on("end", resolve);
        },
      );
      request.on("error", reject);
      request.end(body);
    });
  const floorStart = performance.now();
  let next = 0;
  const lane = async () => {
    while (next < total) {
      next++;
      await post();
    }
  };
  await Promise.all(Array.from({ length: Number(values.concurrency) }, lane));
  agent.destroy();
  const floorMs = performance.now() - floorStart;
  const counts = await new Promise<{ received: number; bad: number }>((resolve) => {
    child.once("message", (m: { received: number; bad: number }) => resolve(m));
    child.send("stats");
  });
  console.log(
    JSON.stringify({
      bench: "webhook-delivery-throughput",
      deliveries: total,
      bodyBytes: Buffer.byteLength(body),
      concurrency: Number(values.concurrency),
      seconds: Number((ms / 1000).toFixed(3)),
      deliveriesPerSecond: Math.round(total / (ms / 1000)),
      delivered: stats.byStatus.delivered ?? 0,
      notDelivered: total - (stats.byStatus.delivered ?? 0),
      receiverBadHmac: counts.bad,
      floorDeliveriesPerSecond: Math.round(total / (floorMs / 1000)),
      ratioToFloor: Number((floorMs / ms).toFixed(2)),
      node: process.version,
    }),
  );
  await sender.close();
  child.kill();
}
