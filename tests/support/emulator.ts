// The one way the tests start the Shopify emulator: in this process, on a free port, as the test app
// (TEST_API_KEY / TEST_API_SECRET, so its signatures and tokens are the ones the app checks), with no
// TOML and Shopify's timings scaled by 0.001 unless a test says otherwise. The e2e and dev-loop suites
// run the emulator as a process of its own (tools/shopify-emulator/src/main.ts) and do not use this.
import {
  startEmulator,
  type EmulatedApp,
  type EmulatorOptions,
  type RunningEmulator,
} from "../../tools/shopify-emulator/src/testing";
import { TEST_API_KEY, TEST_API_SECRET } from "./test-env";

export type { RunningEmulator };

export interface TestEmulatorOptions extends Omit<EmulatorOptions, "app" | "apiKey" | "apiSecret" | "appUrl"> {
  /** The app the emulator sends webhooks and installs to; default a closed port (no app running). */
  appUrl?: string;
  /** Further app settings (scopes, webhook subscriptions) applied last. */
  app?: Partial<EmulatedApp>;
}

export interface TestEmulator extends RunningEmulator {
  /** A call to the control API (`/__emulator…`); throws unless it answers 2xx. */
  control<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

export async function startTestEmulator({ appUrl, app, ...options }: TestEmulatorOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({
    port: 0,
    tomlPath: null,
    timeScale: 0.001,
    ...options,
    // Top-level, not in `app`: a TOML's relative webhook URIs are resolved against this appUrl.
    apiKey: TEST_API_KEY,
    apiSecret: TEST_API_SECRET,
    appUrl: appUrl ?? "http://127.0.0.1:9",
    ...(app && { app }),
  });
  return Object.assign(emulator, {
    async control<T>(method: string, path: string, body?: unknown): Promise<T> {
      const response = await fetch(`${emulator.url}/__emulator${path}`, {
        method,
        headers: body === undefined ? {} : { "content-type": "application/json" },
        ...(body !== undefined && { body: JSON.stringify(body) }),
      });
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    },
  });
}

/**
 * Points the app at `emulator` (SHOPIFY_EMULATOR_URL). The seam is chosen when app/shopify.server.ts is
 * first imported, so call this before anything imports it.
 */
export function pointAppAtEmulator(emulator: RunningEmulator): void {
  process.env.SHOPIFY_EMULATOR_URL = emulator.url;
}
