// Vite's HMR settings for the dev server, from the environment `shopify app dev` gives it
// (docs/decisions/0025-shopify-app-dev-loop.md). Kept out of vite.config.ts so a test can check them
// and a dev server of another shape (Vite in middleware mode) can take the same ones.
//
// Under the CLI the browser reaches the app only through the CLI's proxy (behind its tunnel, or
// https://localhost:<port> with --use-localhost). shopify.web.toml declares an [hmr_server], so the
// CLI picks a free port, passes it as HMR_SERVER_PORT, and routes every websocket (and /vite-hmr) to
// it. Vite then runs its HMR websocket on that port, and the browser connects to the app's own
// origin, where the proxy takes it: the client port is the app URL's, not HMR_SERVER_PORT.
import type { HmrOptions } from "vite";

/** The websocket path of Vite's HMR client; shopify.web.toml routes it to the HMR server. */
export const HMR_PATH = "/vite-hmr";

export function viteHmrOptions(env: Record<string, string | undefined>): HmrOptions {
  const hmrServerPort = env.HMR_SERVER_PORT ? Number(env.HMR_SERVER_PORT) : undefined;
  if (!hmrServerPort) {
    // Started by itself (`npm run dev:app`): HMR shares the dev server's port.
    return { path: HMR_PATH };
  }
  const appUrl = new URL(env.SHOPIFY_APP_URL || "http://localhost");
  // No `host`: Vite would bind its HMR server to it (the tunnel's name is not this machine's), and the
  // client's default, the page's own host name, is the one the proxy answers on. No `protocol`: the
  // client picks wss on an https page.
  return {
    port: hmrServerPort,
    clientPort: Number(appUrl.port) || (appUrl.protocol === "https:" ? 443 : 80),
    path: HMR_PATH,
  };
}
