// The benchmark's emulator, in its own process so that its memory (the seeded store) is not counted
// in the sync's peak RSS. Prints one JSON line {url} when the shop is seeded.
import { startEmulator } from "../tools/shopify-emulator/src/server";

const config = JSON.parse(process.env.BENCH_EMULATOR ?? "{}") as {
  shop: string;
  token: string;
  products: number;
  variants: number;
  apiKey: string;
  apiSecret: string;
  scopes: string[];
};
const emulator = await startEmulator({
  port: 0,
  tomlPath: null,
  timeScale: 0.001,
  bulkStartDelayMs: 0,
  app: {
    apiKey: config.apiKey,
    apiSecret: config.apiSecret,
    appUrl: "http://127.0.0.1:9",
    scopes: config.scopes,
    webhookSubscriptions: [],
  },
  seed: {
    shop: config.shop,
    accessToken: config.token,
    products: config.products,
    maxVariants: config.variants,
    exactVariants: true,
    locations: 1,
    orders: 0,
  },
});
process.stdout.write(`${JSON.stringify({ url: emulator.url })}\n`);
process.once("SIGTERM", () => void emulator.close().then(() => process.exit(0)));
