import { describe, expect, it } from "vitest";
import { HMR_PATH, viteHmrOptions } from "./vite-hmr";

describe("viteHmrOptions", () => {
  it("alone (no CLI): HMR on the dev server's own port, at the HMR path", () => {
    expect(viteHmrOptions({})).toEqual({ path: HMR_PATH });
  });

  it("behind the CLI's tunnel: HMR server on HMR_SERVER_PORT, browser on the tunnel's https port", () => {
    const options = viteHmrOptions({
      SHOPIFY_APP_URL: "https://shop-sync-dev.trycloudflare.com",
      HMR_SERVER_PORT: "50123",
    });
    // No host: Vite would listen on it, and the tunnel's name is not this machine's.
    expect(options).toEqual({ port: 50123, clientPort: 443, path: HMR_PATH });
  });

  it("with --use-localhost: the browser connects to the CLI's proxy port in the app URL", () => {
    const options = viteHmrOptions({ SHOPIFY_APP_URL: "https://localhost:3458", HMR_SERVER_PORT: "50124" });
    expect(options).toEqual({ port: 50124, clientPort: 3458, path: HMR_PATH });
  });
});
