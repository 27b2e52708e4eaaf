// CLI entry: `npm run emulator -- [serve] [flags]`, `… cost` (query cost, JSON lines on stdin/stdout),
// `… seed` (seed a shop on a running emulator through its control API).
import { parseArgs } from "node:util";

const HELP = `Shop Sync local Shopify emulator

  serve (default)  --port N (EMULATOR_PORT, 4010)  --host H  --public-url URL
                   --shop DOMAIN --seed S --products N --variants M --locations K --orders N
                   --plan standard|advanced|plus  --token TOKEN (registered for the seeded shop)
                   --snapshot FILE (EMULATOR_SNAPSHOT)  --toml PATH (./shopify.app.toml)
                   --app-url URL --api-key KEY --api-secret SECRET  --time-scale X
  cost             reads {"query","variables","operationName"} JSON lines on stdin, prints costs
  seed             --url URL (http://127.0.0.1:$EMULATOR_PORT) --shop DOMAIN and the seed flags above
`;

const options = {
  port: { type: "string" },
  host: { type: "string" },
  "public-url": { type: "string" },
  shop: { type: "string" },
  seed: { type: "string" },
  products: { type: "string" },
  variants: { type: "string" },
  locations: { type: "string" },
  orders: { type: "string" },
  plan: { type: "string" },
  token: { type: "string" },
  snapshot: { type: "string" },
  toml: { type: "string" },
  "app-url": { type: "string" },
  "api-key": { type: "string" },
  "api-secret": { type: "string" },
  "time-scale": { type: "string" },
  url: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

type Plan = "standard" | "advanced" | "plus";

function seedParams(v: Record<string, string | boolean | undefined>) {
  const int = (k: string) => (typeof v[k] === "string" ? Number.parseInt(v[k] as string, 10) : undefined);
  const p: Record<string, unknown> = {};
  if (typeof v.seed === "string") p.seed = v.seed;
  if (int("products") !== undefined) p.products = int("products");
  if (int("variants") !== undefined) p.maxVariants = int("variants");
  if (int("locations") !== undefined) p.locations = int("locations");
  if (int("orders") !== undefined) p.orders = int("orders");
  return p;
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ options, allowPositionals: true, strict: true });
  const command = positionals[0] ?? "serve";
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }

  if (command === "cost") {
    // Must print nothing but the calculator's JSON lines.
    const { runCostCli } = await import("./cost/cost-cli");
    await runCostCli(process.stdin, process.stdout);
    return;
  }

  const plan = (values.plan ?? process.env.EMULATOR_PLAN) as Plan | undefined;
  if (plan && !["standard", "advanced", "plus"].includes(plan))
    throw new Error(`--plan must be standard, advanced or plus`);

  if (command === "seed") {
    const base = values.url ?? `http://127.0.0.1:${values.port ?? process.env.EMULATOR_PORT ?? 4010}`;
    const res = await fetch(`${base}/__emulator/shops`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({
        shop: values.shop ?? "shop-sync-demo.myshopify.com",
        replace: true,
        seed: seedParams(values),
        ...(plan && { plan }),
        ...(values.token && { accessToken: values.token }),
      }),
    });
    process.stdout.write(`${await res.text()}\n`);
    if (!res.ok) process.exitCode = 1;
    return;
  }

  if (command !== "serve") {
    process.stderr.write(HELP);
    process.exitCode = 2;
    return;
  }

  const { startEmulator } = await import("./server");
  const wantsSeed = ["seed", "products", "variants", "locations", "orders", "shop", "token"].some(
    (k) => values[k as keyof typeof values] !== undefined,
  );
  const emulator = await startEmulator({
    port: Number(values.port ?? process.env.EMULATOR_PORT ?? 4010),
    ...(values.host && { host: values.host }),
    ...((values["public-url"] ?? process.env.EMULATOR_PUBLIC_URL) && {
      publicOrigin: values["public-url"] ?? process.env.EMULATOR_PUBLIC_URL,
    }),
    tomlPath: values.toml ?? "./shopify.app.toml",
    ...(values["app-url"] && { appUrl: values["app-url"] }),
    ...(values["api-key"] && { apiKey: values["api-key"] }),
    ...(values["api-secret"] && { apiSecret: values["api-secret"] }),
    ...(plan && { plan }),
    snapshotFile: values.snapshot ?? process.env.EMULATOR_SNAPSHOT ?? null,
    timeScale: Number(values["time-scale"] ?? process.env.EMULATOR_TIME_SCALE ?? 1),
    seed: wantsSeed
      ? {
          ...seedParams(values),
          ...(values.shop && { shop: values.shop }),
          ...(values.token && { accessToken: values.token }),
        }
      : null,
    logger: process.env.EMULATOR_LOG === "1",
  });
  const shops = [...emulator.store.shops.keys()];
  process.stdout.write(
    `Shop Sync emulator listening on ${emulator.url} (app ${emulator.ctx.app.apiKey}; shops: ${shops.join(", ") || "none"})\n`,
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await emulator.close(); // saves the snapshot when --snapshot is set
    process.exit(0);
  };
  process.on("SIGINT", () => void stop());
  process.on("SIGTERM", () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
