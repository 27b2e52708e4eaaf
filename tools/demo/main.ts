// `npm run demo`: the local Shopify emulator with a seeded demo shop, the built app on SQLite with its
// worker, the install through token exchange, the first full sync, and the admin URL to open.
// `npm run demo -- --activity` (or `npm run demo:activity`) also keeps the store busy: orders, stock
// and price changes arrive as webhooks and the dashboard moves. Ctrl-C stops everything.
//
//   --products N (2000)  --orders N (3000)  --activity  --every MS (1500, between store events)
//   --customer-data none|level1|level2[:field,…]  the shop's protected customer data approval for the
//     app (emulator control PUT …/customer-data-access; default: everything). Below what the app asks
//     for (CUSTOMER_DATA_LEVEL), the dashboard shows which customer details Shopify withholds.
import { parseArgs } from "node:util";
import { runActivity } from "./activity";
import { startStack, type Stack, type SyncJob } from "./stack";

const { values } = parseArgs({
  options: {
    products: { type: "string" },
    orders: { type: "string" },
    activity: { type: "boolean" },
    every: { type: "string" },
    "customer-data": { type: "string" },
    help: { type: "boolean", short: "h" },
  },
  strict: true,
});

const log = (line: string) => process.stdout.write(`${line}\n`);

function progressLine(jobs: SyncJob[]): string {
  return jobs
    .map(
      (j) =>
        `${j.resource} ${j.status}${j.totalCount ? ` ${j.doneCount}/${j.totalCount}` : j.doneCount ? ` ${j.doneCount}` : ""}`,
    )
    .join(" · ");
}

async function main(): Promise<void> {
  if (values.help) {
    log("npm run demo [-- --products N --orders N --activity --every MS --customer-data level1|level2:email,name]");
    return;
  }
  const started = Date.now();
  log("Shop Sync demo");
  let stack: Stack | undefined;
  const activity = new AbortController();
  let stopping = false;
  const shutdown = async (code: number) => {
    if (stopping) return;
    stopping = true;
    log("\nStopping…");
    activity.abort();
    await stack?.stop();
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    stack = await startStack({
      products: Number(values.products ?? 2000),
      orders: Number(values.orders ?? 3000),
      log,
    });
    if (values["customer-data"]) {
      const [level, fields = ""] = values["customer-data"].split(":");
      await stack.control(`/shops/${stack.shop}/customer-data-access`, {
        method: "PUT",
        body: { level, fields: fields.split(",").filter(Boolean) },
      });
      log(`• protected customer data approval: ${values["customer-data"]}`);
    }
    log("• installing the app (admin shell → token exchange → afterAuth)");
    await stack.install();
    log("• first full sync");
    let last = "";
    const jobs = await stack.waitForSyncs({
      onProgress: (current) => {
        const line = progressLine(current);
        if (line !== last) log(`  ${(last = line)}`);
      },
    });
    const { body: stats } = await stack.api<Record<string, unknown>>(
      `/api/v1/shopify/stores/${await stack.storeId()}/stats`,
    );
    log(`• synced in ${Math.round((Date.now() - started) / 1000)} s: ${progressLine(jobs)}`);
    log(`  stats: ${JSON.stringify(stats)}`);
    log("");
    log(`Open the Shopify admin (emulator) with Shop Sync in it:\n\n  ${stack.shellUrl}\n`);
    log(
      `A product's page there, with Shop Sync's block (mirror status, resync):\n\n  ${await stack.productPageUrl()}\n`,
    );
    log(`Logs: ${stack.logDir}/{emulator,app}.log. Ctrl-C stops the emulator and the app.`);
    if (values.activity) {
      log("\nStore activity (orders, stock, prices) every ~" + (values.every ?? "1500") + " ms:");
      void runActivity(stack, { everyMs: Number(values.every ?? 1500), signal: activity.signal, log });
    }
  } catch (error) {
    log(`\ndemo failed: ${error instanceof Error ? error.message : String(error)}`);
    if (stack) log(`Logs: ${stack.logDir}`);
    await shutdown(1);
  }
}

void main();
