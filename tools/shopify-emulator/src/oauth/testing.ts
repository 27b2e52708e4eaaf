// Test support shared by the oauth, webhooks and admin-shell tests: a hand-built context and a
// Fastify instance on a random port with only the surfaces under test registered. (The full
// emulator is assembled by server.ts; these tests deliberately boot one surface at a time.)
import { EventEmitter } from "node:events";
import Fastify, { type FastifyInstance } from "fastify";
import type { EmulatedApp, EmulatorContext } from "../context";

/** Matches `testConfig()` from @shopify/shopify-app-remix/test-helpers. */
export const TEST_APP: EmulatedApp = {
  apiKey: "testApiKey",
  apiSecret: "testApiSecretKey",
  appUrl: "https://my-test-app.myshopify.io",
  scopes: ["write_products", "read_orders"],
  webhookApiVersion: "2026-10",
  webhookSubscriptions: [],
};

export function createTestContext(
  overrides: Partial<EmulatorContext> & { app?: Partial<EmulatedApp> } = {},
): EmulatorContext {
  let origin = "http://127.0.0.1:0";
  const { app, ...rest } = overrides;
  const ctx: EmulatorContext = {
    app: { ...TEST_APP, ...app },
    events: new EventEmitter(),
    origin: () => origin,
    timeScale: 0.001,
    ...rest,
  };
  // startTestServer fixes the origin once the port is known.
  (ctx as EmulatorContext & { setOrigin(o: string): void }).setOrigin = (o: string) => {
    origin = o;
  };
  return ctx;
}

export async function startTestServer(
  ctx: EmulatorContext,
  register: (fastify: FastifyInstance) => unknown,
): Promise<{ fastify: FastifyInstance; origin: string; close: () => Promise<void> }> {
  const fastify = Fastify({ logger: false, forceCloseConnections: true });
  await register(fastify);
  await fastify.listen({ port: 0, host: "127.0.0.1" });
  const address = fastify.server.address();
  if (!address || typeof address === "string") throw new Error("no TCP address");
  const origin = `http://127.0.0.1:${address.port}`;
  (ctx as EmulatorContext & { setOrigin?: (o: string) => void }).setOrigin?.(origin);
  return { fastify, origin, close: () => fastify.close() };
}
