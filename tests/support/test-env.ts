// The environment every test process starts from: .env.example's offline values, with test keys.
// Tests that need other values pass them explicitly.
export const TEST_API_KEY = "shop-sync-test-client-id";
export const TEST_API_SECRET = "shop-sync-test-client-secret";

export const TEST_TOKEN_KEYS = {
  k1: Buffer.alloc(32, 1).toString("base64"),
  k2: Buffer.alloc(32, 2).toString("base64"),
};

export function applyTestEnv(target: NodeJS.ProcessEnv = process.env): void {
  target.NODE_ENV = "test";
  target.SHOPIFY_API_KEY ??= TEST_API_KEY;
  target.SHOPIFY_API_SECRET ??= TEST_API_SECRET;
  target.SHOPIFY_APP_URL ??= "http://localhost:3000";
  target.SCOPES ??= "read_products,read_inventory,read_locations,read_orders";
  target.TOKEN_ENCRYPTION_KEYS ??= `k1:${TEST_TOKEN_KEYS.k1}`;
  target.LOG_LEVEL ??= "silent";
  // Deliveries are processed as soon as they are stored, so a test can drain the queue right away.
  target.WEBHOOK_BATCH_WINDOW_MS ??= "0";
  // Test files run in parallel, each with its own database and pool: keep them within PostgreSQL's
  // connection limit.
  target.DATABASE_POOL_MAX ??= "3";
}
