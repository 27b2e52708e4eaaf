// Admin blocks in the shell: read from the app's extensions/ (TOML, locale, built bundle), shown on the
// product page in an iframe whose sandbox document boots the block for the viewed product.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { EmulatorContext } from "../context";
import { oauthRoutes } from "../oauth/routes";
import { createTestContext, startTestServer, TEST_APP } from "../oauth/testing";
import { loadAdminBlocks } from "./admin-blocks";
import { adminShellRoutes } from "./routes";

const app = mkdtempSync(path.join(tmpdir(), "shell-blocks-"));
const ext = path.join(app, "extensions/status-block");
let ctx: EmulatorContext;
let server: Awaited<ReturnType<typeof startTestServer>>;

beforeAll(async () => {
  mkdirSync(path.join(ext, "locales"), { recursive: true });
  mkdirSync(path.join(ext, "dist"), { recursive: true });
  writeFileSync(
    path.join(ext, "shopify.extension.toml"),
    `api_version = "2026-10"\n[[extensions]]\nname = "t:name"\nhandle = "status-block"\ntype = "ui_extension"\n` +
      `[[extensions.targeting]]\nmodule = "./src/BlockExtension.tsx"\ntarget = "admin.product-details.block.render"\n`,
  );
  writeFileSync(
    path.join(ext, "locales/en.default.json"),
    JSON.stringify({ name: "Status block", hello: "Hi {{who}}" }),
  );
  writeFileSync(
    path.join(ext, "dist/status-block.js"),
    'shopify.extend("admin.product-details.block.render", () => {});',
  );
  ctx = createTestContext();
  ctx.productSummary = (shop, id) =>
    shop === "test-shop.myshopify.com" && id === "42"
      ? {
          gid: "gid://shopify/Product/42",
          title: "Alpine <Jacket>",
          variants: [{ title: "S", sku: "AJ-S", available: 3 }],
        }
      : null;
  server = await startTestServer(ctx, async (f) => {
    await f.register(oauthRoutes, { ctx });
    await f.register(adminShellRoutes, { ctx, adminBlocks: loadAdminBlocks(app) });
  });
});
afterAll(async () => {
  await server.close();
  rmSync(app, { recursive: true, force: true });
});

describe("admin blocks in the shell", () => {
  it("loads block extensions with their target, name, bundle and messages", () => {
    expect(loadAdminBlocks(app)).toEqual([
      {
        handle: "status-block",
        name: "Status block",
        target: "admin.product-details.block.render",
        bundlePath: path.join(ext, "dist/status-block.js"),
        messages: { name: "Status block", hello: "Hi {{who}}" },
      },
    ]);
    expect(loadAdminBlocks(path.join(app, "nothing-here"))).toEqual([]);
  });

  it("shows the product page with the block's iframe for that product, escaped", async () => {
    const res = await fetch(`${server.origin}/store/test-shop/products/42`);
    expect(res.status).toBe(200);
    const html = await res.text();
    expect(html).toContain("Alpine &lt;Jacket&gt;");
    expect(html).toContain(
      'data-testid="admin-block-status-block" title="Status block" src="/store/test-shop/blocks/status-block?resource=gid%3A%2F%2Fshopify%2FProduct%2F42"',
    );
    expect((await fetch(`${server.origin}/store/test-shop/products/43`)).status).toBe(404);
  });

  it("serves the sandbox with the shopify global's inputs and the CLI's bundle", async () => {
    const sandbox = await fetch(
      `${server.origin}/store/test-shop/blocks/status-block?resource=${encodeURIComponent("gid://shopify/Product/42")}`,
    );
    expect(sandbox.status).toBe(200);
    const html = await sandbox.text();
    expect(html).toContain('"resourceGid":"gid://shopify/Product/42"');
    expect(html).toContain(`"appUrl":"${TEST_APP.appUrl}"`);
    expect(html).toContain(`"idTokenUrl":"/store/test-shop/apps/${TEST_APP.apiKey}/__shell/id-token"`);
    expect(html).toContain('<script src="/store/test-shop/blocks/status-block/bundle.js" defer>');
    const bundle = await fetch(`${server.origin}/store/test-shop/blocks/status-block/bundle.js`);
    expect(await bundle.text()).toContain('shopify.extend("admin.product-details.block.render"');
    // Not a product GID, or an unknown block: 404.
    expect((await fetch(`${server.origin}/store/test-shop/blocks/status-block?resource=javascript:1`)).status).toBe(
      404,
    );
    expect(
      (await fetch(`${server.origin}/store/test-shop/blocks/other?resource=gid://shopify/Product/42`)).status,
    ).toBe(404);
  });

  it("says to build the block when its bundle is missing", async () => {
    rmSync(path.join(ext, "dist/status-block.js"));
    const res = await fetch(`${server.origin}/store/test-shop/blocks/status-block/bundle.js`);
    expect(res.status).toBe(404);
    expect(await res.text()).toContain("shopify app build");
  });
});
