// Measures the emulator at catalogue scale: seeding N products × M variants, then time from
// bulkOperationRunQuery to a COMPLETED operation with its JSONL ready, polled over HTTP as the app
// polls. Prints one JSON object. Run: npx tsx tools/shopify-emulator/bench/bulk-jsonl.ts [products] [variants]
//
// The floor, measured in the same run: serializing the very objects the operation returned with
// JSON.stringify and writing them as JSONL through a plain file stream — what any JSONL export of
// this data costs at least. `ratioToFloor` is jsonlReadyMs / floorMs (machines are noisy; ratios hold).
import { createWriteStream, mkdtempSync, rmSync } from "node:fs";
import { once } from "node:events";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import { startEmulator } from "../src/server";

const products = Number(process.argv[2] ?? 100_000);
const variants = Number(process.argv[3] ?? 5);
const shop = "bench.myshopify.com";
const token = "shpat_bench";

const mb = (n: number) => Math.round(n / 1024 / 1024);
const t0 = performance.now();
const emu = await startEmulator({
  port: 0,
  tomlPath: null,
  timeScale: 1,
  bulkStartDelayMs: 0,
  seed: { shop, accessToken: token, products, maxVariants: variants, exactVariants: true, locations: 2, orders: 0 },
});
const seedMs = performance.now() - t0;
const afterSeed = process.memoryUsage();

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const r = await fetch(`${emu.url}/admin/api/2026-10/graphql.json`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-forwarded-host": shop, "x-shopify-access-token": token },
    body: JSON.stringify({ query, variables }),
  });
  return (await r.json()) as any; // eslint-disable-line @typescript-eslint/no-explicit-any
};

const query = `{ products { edges { node { id title handle status updatedAt variants { edges { node { id sku price inventoryQuantity } } } } } } }`;
const t1 = performance.now();
const run = await gql(
  `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id } userErrors { message } } }`,
  { q: query },
);
const id = run.data.bulkOperationRunQuery.bulkOperation.id as string;
let op: { status: string; objectCount: string; fileSize: string; url: string };
let polls = 0;
let peakRss = process.memoryUsage().rss;
for (;;) {
  await new Promise((r) => setTimeout(r, 250));
  polls++;
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  op = (await gql(`query($id: ID!) { bulkOperation(id: $id) { status objectCount fileSize url } }`, { id })).data
    .bulkOperation;
  if (op.status !== "CREATED" && op.status !== "RUNNING") break;
}
const readyMs = performance.now() - t1;

const t2 = performance.now();
const res = await fetch(op.url);
let lines = 0;
const objects: unknown[] = [];
for await (const line of createInterface({ input: Readable.fromWeb(res.body as never) })) {
  lines++;
  objects.push(JSON.parse(line));
}
const downloadMs = performance.now() - t2;

const floorDir = mkdtempSync(join(tmpdir(), "bulk-floor-"));
const t3 = performance.now();
const out = createWriteStream(join(floorDir, "floor.jsonl"));
for (const object of objects) {
  if (!out.write(JSON.stringify(object) + "\n")) await once(out, "drain");
}
out.end();
await once(out, "finish");
const floorMs = performance.now() - t3;
rmSync(floorDir, { recursive: true, force: true });

console.log(
  JSON.stringify({
    products,
    variantsPerProduct: variants,
    seedMs: Math.round(seedMs),
    heapAfterSeedMB: mb(afterSeed.heapUsed),
    rssAfterSeedMB: mb(afterSeed.rss),
    status: op.status,
    objectCount: op.objectCount,
    fileSizeMB: mb(Number(op.fileSize)),
    jsonlReadyMs: Math.round(readyMs),
    statusPolls: polls,
    peakRssDuringBulkMB: mb(peakRss),
    downloadAndCountMs: Math.round(downloadMs),
    linesDownloaded: lines,
    floorMs: Math.round(floorMs),
    ratioToFloor: Number((readyMs / floorMs).toFixed(2)),
  }),
);
await emu.close();
