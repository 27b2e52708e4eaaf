// POST /admin/api/{version}/graphql.json — the Admin GraphQL endpoint. The shop comes from
// X-Forwarded-Host (the app's seam rewrites https://{shop}/… to the emulator and sets it), or from
// Host when that is a *.myshopify.com name.
import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync, FastifyRequest } from "fastify";
import type { GraphQLSchema } from "graphql";
import { ADMIN_API_UNAUTHORIZED, type EmulatorContext } from "../context";
import type { Faults } from "../faults";
import type { Clock } from "../clock";
import type { ShopRec } from "../state/model";
import type { Store } from "../state/store";
import type { LeakyBuckets } from "../throttle";
import { runAdminGraphQL } from "./execute";
import type { BulkApi, RequestContext } from "./resolvers";

export const ADMIN_API_VERSION = "2026-10";

export interface AdminGraphQLOptions {
  ctx: EmulatorContext;
  schema: GraphQLSchema;
  store: Store;
  buckets: LeakyBuckets;
  faults: Faults;
  clock: Clock;
  bulk: BulkApi;
}

export function shopDomainFromRequest(request: FastifyRequest): string | null {
  const header = (name: string) => {
    const v = request.headers[name];
    return (Array.isArray(v) ? v[0] : v)?.split(",")[0]?.trim().toLowerCase().replace(/:\d+$/, "") || null;
  };
  const forwarded = header("x-forwarded-host");
  if (forwarded) return forwarded;
  const host = header("host");
  return host && host.endsWith(".myshopify.com") ? host : null;
}

/** Scopes of a valid token, or null. Control-API tokens first, then the oauth surface's tokens. */
export function checkToken(ctx: EmulatorContext, shop: ShopRec, token: string | undefined): string[] | null {
  if (!token || !shop.installation.installed) return null;
  const registered = shop.accessTokens.get(token);
  if (registered) return registered;
  const v = ctx.auth?.validateAccessToken(shop.domain, token);
  return v?.ok ? v.scopes : null;
}

export const adminGraphQLRoutes: FastifyPluginAsync<AdminGraphQLOptions> = async (fastify, o) => {
  if (!fastify.hasContentTypeParser("application/graphql")) {
    fastify.addContentTypeParser("application/graphql", { parseAs: "string" }, (_req, body, done) =>
      done(null, { query: body }),
    );
  }

  fastify.post<{ Params: { version: string } }>("/admin/api/:version/graphql.json", async (request, reply) => {
    const { version } = request.params;
    if (!/^(\d{4}-\d{2}|unstable)$/.test(version)) return reply.code(404).send({ errors: "Not Found" });
    reply.header("x-request-id", randomUUID());
    // Every version is answered from the one schema the emulator ships (as Shopify answers an
    // unsupported version with the oldest supported one, naming it in this header).
    reply.header("x-shopify-api-version", ADMIN_API_VERSION);

    const domain = shopDomainFromRequest(request);
    const shop = domain ? o.store.getShop(domain) : undefined;
    const fault = await o.faults.apply(shop?.domain ?? null, request, reply);
    if (fault === "handled") return reply;
    if (!shop) return reply.code(404).send({ errors: "Not Found" });

    const tokenHeader = request.headers["x-shopify-access-token"];
    const token = Array.isArray(tokenHeader) ? tokenHeader[0] : tokenHeader;
    const scopes = checkToken(o.ctx, shop, token);
    if (!scopes) return reply.code(ADMIN_API_UNAUTHORIZED.status).send(ADMIN_API_UNAUTHORIZED.body);

    const rc: RequestContext = {
      store: o.store,
      shop,
      app: o.ctx.app,
      scopes,
      now: () => o.clock.now(),
      bulk: o.bulk,
      bulkMode: false,
      searchWarnings: [],
    };
    const result = await runAdminGraphQL(
      { schema: o.schema, buckets: o.buckets, forceThrottled: fault.kind === "throttled" },
      rc,
      (request.body ?? {}) as Record<string, unknown>,
    );
    return reply.code(result.status).type("application/json; charset=utf-8").send(result.body);
  });
};
