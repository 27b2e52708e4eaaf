import path from "node:path";
import { vitePlugin as remix } from "@remix-run/dev";
import { installGlobals } from "@remix-run/node";
import { build, defineConfig, type Plugin, type UserConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";
import { viteHmrOptions } from "./tools/dev/vite-hmr";

installGlobals({ nativeFetch: true });

// Shopify CLI (`shopify app dev`) passes the tunnel URL as HOST; the app reads SHOPIFY_APP_URL.
if (process.env.HOST && (!process.env.SHOPIFY_APP_URL || process.env.SHOPIFY_APP_URL === process.env.HOST)) {
  process.env.SHOPIFY_APP_URL = process.env.HOST;
  delete process.env.HOST;
}

const host = new URL(process.env.SHOPIFY_APP_URL || "http://localhost").hostname;

const BULK_LINES_READER = "app/sync/full-sync/bulk-lines.server.ts";

/**
 * The full sync reads bulk files on a worker thread (app/sync/full-sync/bulk-lines.worker.ts), and a
 * thread needs a file of its own: after the server build, this builds the worker's script into the
 * folder of the chunk that holds bulk-lines.server.ts, which starts it by that name.
 */
function bulkLinesWorker(): Plugin {
  return {
    name: "shop-sync:bulk-lines-worker",
    apply: "build",
    async writeBundle(options, bundle) {
      const chunk = Object.values(bundle).find(
        (output) => output.type === "chunk" && output.moduleIds.some((id) => id.endsWith(BULK_LINES_READER)),
      );
      if (!chunk || !options.dir) return;
      await build({
        configFile: false,
        logLevel: "warn",
        plugins: [tsconfigPaths()],
        build: {
          ssr: "app/sync/full-sync/bulk-lines.worker.ts",
          outDir: path.join(options.dir, path.dirname(chunk.fileName)),
          emptyOutDir: false,
          target: "node22",
          rollupOptions: { output: { entryFileNames: "bulk-lines.worker.js" } },
        },
      });
    },
  };
}

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  server: {
    allowedHosts: [host],
    cors: { preflightContinue: true },
    port: Number(process.env.PORT || 3000),
    hmr: viteHmrOptions(process.env),
    fs: { allow: ["app", "node_modules"] },
  },
  plugins: [
    remix({
      ignoredRouteFiles: ["**/.*", "**/*.test.*", "**/*.server.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_lazyRouteDiscovery: true,
        v3_singleFetch: true,
        v3_routeConfig: true,
      },
    }),
    tsconfigPaths(),
    bulkLinesWorker(),
  ],
  build: { assetsInlineLimit: 0 },
  optimizeDeps: { include: ["@shopify/app-bridge-react", "@shopify/polaris"] },
}) satisfies UserConfig;
