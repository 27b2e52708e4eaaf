// The admin shell (admin.shopify.com stand-in) and the App Bridge stand-in script:
//   GET /store/:shopName                          shop home with a link to the app
//   GET /store/:shopName/apps/:apiKey[/*]         admin frame embedding {appUrl}{path}?embedded=1&shop&host&id_token&locale
//   GET /store/:shopName/apps/:apiKey/__shell/id-token   fresh session token for the frame (App Bridge idToken())
//   GET /store/:shopName/oauth/install?client_id= what login() redirects to: "installs" and opens the app
//   GET /app-bridge.js                            the App Bridge stand-in (point APP_BRIDGE_URL at it)
//   GET /store/:shopName/products/:id             a product's page with the app's product admin blocks
//   GET /store/:shopName/blocks/:handle?resource= one admin block's sandbox (admin-blocks.ts)
//   GET /store/:shopName/blocks/:handle/bundle.js the block's bundle, as `shopify app build` wrote it
import { existsSync, readFileSync } from "node:fs";
import { randomBytes, randomUUID } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { SignJWT } from "jose";
import type { EmulatorContext } from "../context";
import { renderBlockSandbox, renderProductPage, type AdminBlockExtension } from "./admin-blocks";
import { renderShellPage, renderShopHome } from "./shell-page";

export interface AdminShellOptions {
  ctx: EmulatorContext;
  /** Shown in the nav and the title bar; Shopify shows the app's name from the Partner Dashboard. */
  appName?: string;
  /** The app's admin block extensions (admin-blocks.ts loadAdminBlocks), shown on resource pages. */
  adminBlocks?: AdminBlockExtension[];
}

const APP_BRIDGE_JS = readFileSync(new URL("./app-bridge.js", import.meta.url), "utf8");
const SHOP_NAME = /^[a-z0-9][a-z0-9-]*$/;

/** base64("admin.shopify.com/store/{name}") without padding: the `host` parameter embedded apps get. */
export function hostParam(shopName: string): string {
  return Buffer.from(`admin.shopify.com/store/${shopName}`).toString("base64").replace(/=+$/, "");
}

export const adminShellRoutes: FastifyPluginAsync<AdminShellOptions> = async (fastify, options) => {
  const { ctx } = options;
  const appName = options.appName ?? "Shop Sync";

  // Only used when the oauth surface is not registered (ctx.auth missing), e.g. shell-only tests.
  const fallbackKey = new TextEncoder().encode(ctx.app.apiSecret);
  const issueSessionToken = async (shop: string): Promise<string> => {
    if (ctx.auth) return ctx.auth.issueSessionToken(shop);
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: ctx.app.apiKey,
      sub: "1",
      exp: now + 60,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      sid: randomBytes(16).toString("hex"),
      sig: randomBytes(32).toString("hex"),
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(fallbackKey);
  };

  fastify.get("/app-bridge.js", async (_request, reply) =>
    reply
      .header("content-type", "application/javascript; charset=utf-8")
      .header("cache-control", "no-cache")
      .header("access-control-allow-origin", "*")
      .send(APP_BRIDGE_JS),
  );

  type ShopParams = { shopName: string };
  type AppParams = { shopName: string; apiKey: string; "*"?: string };

  fastify.get<{ Params: ShopParams }>("/store/:shopName", async (request, reply) => {
    const { shopName } = request.params;
    if (!SHOP_NAME.test(shopName)) return reply.code(404).send("Not found");
    return reply
      .type("text/html; charset=utf-8")
      .send(renderShopHome({ shopName, apps: [{ name: appName, href: `/store/${shopName}/apps/${ctx.app.apiKey}` }] }));
  });

  fastify.get<{ Params: ShopParams; Querystring: { client_id?: string } }>(
    "/store/:shopName/oauth/install",
    async (request, reply) => {
      const { shopName } = request.params;
      if (!SHOP_NAME.test(shopName) || request.query.client_id !== ctx.app.apiKey)
        return reply.code(404).send("Not found");
      // Shopify-managed installation: scopes come from the TOML; the token exchange happens in the app.
      return reply.redirect(`/store/${shopName}/apps/${ctx.app.apiKey}`, 302);
    },
  );

  fastify.get<{ Params: Omit<AppParams, "*"> }>(
    "/store/:shopName/apps/:apiKey/__shell/id-token",
    async (request, reply) => {
      const { shopName, apiKey } = request.params;
      if (!SHOP_NAME.test(shopName) || apiKey !== ctx.app.apiKey) return reply.code(404).send({ errors: "Not found" });
      return reply
        .header("cache-control", "no-store")
        .send({ token: await issueSessionToken(`${shopName}.myshopify.com`) });
    },
  );

  const appPage = async (request: { params: AppParams; url: string }, reply: FastifyReply) => {
    const { shopName, apiKey } = request.params;
    if (!SHOP_NAME.test(shopName) || apiKey !== ctx.app.apiKey) {
      return reply.code(404).type("text/html; charset=utf-8").send("<h1>App not found</h1>");
    }
    const shop = `${shopName}.myshopify.com`;
    const appUrl = new URL(ctx.app.appUrl);
    const path = request.params["*"] ? `/${request.params["*"]}` : "";
    const base = appUrl.pathname.replace(/\/$/, "");
    const iframe = new URL(`${base}${path}` || "/", appUrl.origin);
    // Query parameters on the admin URL are passed on to the app, as Shopify does.
    const incoming = new URL(request.url, "http://shell.invalid").searchParams;
    for (const [k, v] of incoming) iframe.searchParams.append(k, v);
    iframe.searchParams.set("embedded", "1");
    iframe.searchParams.set("shop", shop);
    iframe.searchParams.set("host", hostParam(shopName));
    iframe.searchParams.set("id_token", await issueSessionToken(shop));
    iframe.searchParams.set("locale", "en");
    return reply
      .type("text/html; charset=utf-8")
      .header("cache-control", "no-store")
      .send(
        renderShellPage({
          shop,
          shopName,
          apiKey,
          appName,
          appOrigin: appUrl.origin,
          iframeSrc: iframe.toString(),
          basePath: `/store/${shopName}/apps/${apiKey}`,
          scopes: ctx.app.scopes,
        }),
      );
  };
  const blocks = options.adminBlocks ?? [];
  fastify.get<{ Params: ShopParams & { productId: string } }>(
    "/store/:shopName/products/:productId",
    async (request, reply) => {
      const { shopName, productId } = request.params;
      const product = SHOP_NAME.test(shopName) ? ctx.productSummary?.(`${shopName}.myshopify.com`, productId) : null;
      if (!product) return reply.code(404).type("text/html; charset=utf-8").send("<h1>Product not found</h1>");
      const resource = encodeURIComponent(product.gid);
      return reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(
          renderProductPage({
            shopName,
            appName,
            appHref: `/store/${shopName}/apps/${ctx.app.apiKey}`,
            product,
            blocks: blocks
              .filter((b) => b.target === "admin.product-details.block.render")
              .map((b) => ({
                handle: b.handle,
                name: b.name,
                src: `/store/${shopName}/blocks/${b.handle}?resource=${resource}`,
              })),
          }),
        );
    },
  );

  type BlockParams = { shopName: string; handle: string };
  const blockOf = (params: BlockParams) =>
    SHOP_NAME.test(params.shopName) ? blocks.find((b) => b.handle === params.handle) : undefined;
  fastify.get<{ Params: BlockParams; Querystring: { resource?: string } }>(
    "/store/:shopName/blocks/:handle",
    async (request, reply) => {
      const block = blockOf(request.params);
      const resource = request.query.resource ?? "";
      if (!block || !/^gid:\/\/shopify\/\w+\/\d+$/.test(resource)) return reply.code(404).send("Not found");
      const { shopName, handle } = request.params;
      return reply
        .type("text/html; charset=utf-8")
        .header("cache-control", "no-store")
        .send(
          renderBlockSandbox({
            block,
            resourceGid: resource,
            appUrl: ctx.app.appUrl,
            idTokenUrl: `/store/${shopName}/apps/${ctx.app.apiKey}/__shell/id-token`,
            bundleUrl: `/store/${shopName}/blocks/${handle}/bundle.js`,
          }),
        );
    },
  );
  fastify.get<{ Params: BlockParams }>("/store/:shopName/blocks/:handle/bundle.js", async (request, reply) => {
    const block = blockOf(request.params);
    if (!block) return reply.code(404).send("Not found");
    if (!existsSync(block.bundlePath)) {
      return reply.code(404).send(`${block.handle} is not built: run \`npx shopify app build\``);
    }
    return reply
      .header("content-type", "application/javascript; charset=utf-8")
      .header("cache-control", "no-cache")
      .send(readFileSync(block.bundlePath, "utf8"));
  });

  fastify.get<{ Params: AppParams }>("/store/:shopName/apps/:apiKey", appPage);
  fastify.get<{ Params: AppParams }>("/store/:shopName/apps/:apiKey/*", appPage);
};
