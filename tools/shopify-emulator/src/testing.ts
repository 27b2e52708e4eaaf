// The emulator's public entry for tests outside tools/shopify-emulator/ (tests/support/ and the engine
// tests under app/): what they may start, read and compare, so they do not reach into the emulator's
// internals file by file. Its own tests use the narrower helpers beside each surface (testing-core.ts,
// oauth/testing.ts, webhooks/testing.ts).
export { analyzeBulkQuery } from "./bulk-operations/analyze";
export { FakeClock } from "./clock";
export type { EmulatedApp, Plan, StoreChange } from "./context";
export type { CustomerDataAccess } from "./customer-data";
export { startEmulator, type EmulatorOptions, type RunningEmulator } from "./server";
export { seqOf } from "./state/ids";
export type { ShopRec } from "./state/model";
export type { SeedParams } from "./state/seed";
export { levelView, orderView, productView, storeDump, type ProductView } from "./state/views";
export { startCore, TEST_SHOP, type CoreHarness } from "./testing-core";
export { stringifyPayload } from "./webhooks/json";
export { bodyFor, payloadFor } from "./webhooks/payloads";
export type { DeliveryRecord } from "./webhooks/sender";
