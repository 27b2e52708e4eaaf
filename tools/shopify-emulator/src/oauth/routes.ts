// Shopify's OAuth endpoints as the shopify-api library calls them:
//   POST /admin/oauth/access_token  token exchange, refresh_token grant, authorization-code grant
//   GET  /admin/oauth/authorize     authorization-code grant, step 1 (auto-approved, no consent screen)
// plus control routes under /__emulator/oauth for tests. Installs `ctx.auth` so the Admin GraphQL
// surface can check access tokens and the admin shell can mint session tokens.
import { createHmac, timingSafeEqual } from "node:crypto";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import { z } from "zod";
import type { AuthAuthority, EmulatorContext, StoreChange } from "../context";
import { SessionTokenIssuer } from "./session-token";
import { adminHostParam, isShopDomain, shopFromRequest } from "./shop-host";
import { SHOPIFY_LIFETIMES, TokenStore, type AccessTokenRecord, type TokenLifetimes } from "./token-store";

export const TOKEN_EXCHANGE_GRANT = "urn:ietf:params:oauth:grant-type:token-exchange";
export const ID_TOKEN_TYPE = "urn:ietf:params:oauth:token-type:id_token";
export const OFFLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:offline-access-token";
export const ONLINE_TOKEN_TYPE = "urn:shopify:params:oauth:token-type:online-access-token";

export interface OAuthOptions {
  ctx: EmulatorContext;
  /** Shortened lifetimes for tests; anything unset comes from the env, then Shopify's values. */
  lifetimes?: Partial<TokenLifetimes>;
  /** Clock for token expiry (defaults to Date.now). */
  now?: () => number;
}

/** EMULATOR_ACCESS_TOKEN_TTL_SECONDS etc. shorten lifetimes for a whole emulator process. */
const lifetimeEnv = z.object({
  EMULATOR_ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().positive().optional(),
  EMULATOR_REFRESH_TOKEN_TTL_SECONDS: z.coerce.number().positive().optional(),
  EMULATOR_ONLINE_TOKEN_TTL_SECONDS: z.coerce.number().positive().optional(),
  EMULATOR_SESSION_TOKEN_TTL_SECONDS: z.coerce.number().positive().optional(),
});

export function resolveLifetimes(
  overrides: Partial<TokenLifetimes> = {},
  env: NodeJS.ProcessEnv = process.env,
): TokenLifetimes {
  const parsed = lifetimeEnv.parse(env);
  return {
    ...SHOPIFY_LIFETIMES,
    ...(parsed.EMULATOR_ACCESS_TOKEN_TTL_SECONDS && { accessTokenSeconds: parsed.EMULATOR_ACCESS_TOKEN_TTL_SECONDS }),
    ...(parsed.EMULATOR_REFRESH_TOKEN_TTL_SECONDS && {
      refreshTokenSeconds: parsed.EMULATOR_REFRESH_TOKEN_TTL_SECONDS,
    }),
    ...(parsed.EMULATOR_ONLINE_TOKEN_TTL_SECONDS && { onlineTokenSeconds: parsed.EMULATOR_ONLINE_TOKEN_TTL_SECONDS }),
    ...(parsed.EMULATOR_SESSION_TOKEN_TTL_SECONDS && {
      sessionTokenSeconds: parsed.EMULATOR_SESSION_TOKEN_TTL_SECONDS,
    }),
    ...overrides,
  };
}

type Body = Record<string, unknown>;

function str(body: Body, key: string): string | undefined {
  const value = body[key];
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function oauthError(reply: FastifyReply, status: number, error: string, description: string) {
  return reply.code(status).send({ error, error_description: description });
}

/** The callback query HMAC exactly as shopify-api verifies it: params minus hmac/signature, sorted
 * with localeCompare, URLSearchParams-encoded with %20 for spaces, hex HMAC-SHA256. */
export function signCallbackQuery(params: Record<string, string>, secret: string): string {
  const query = new URLSearchParams();
  for (const key of Object.keys(params).sort((a, b) => a.localeCompare(b))) {
    if (key === "hmac" || key === "signature") continue;
    query.append(key, params[key]!);
  }
  return createHmac("sha256", secret).update(query.toString().replace(/\+/g, "%20")).digest("hex");
}

/** The emulator's single staff member, used for online tokens when a session token has no better id. */
function associatedUser(shop: string, userId: string) {
  return {
    id: Number(userId) || 1,
    first_name: "Emulator",
    last_name: "Owner",
    email: `owner@${shop}`,
    account_owner: true,
    locale: "en",
    collaborator: false,
    email_verified: true,
  };
}

export function createAuthority(
  app: EmulatorContext["app"],
  store: TokenStore,
): AuthAuthority & {
  store: TokenStore;
  sessionTokens: SessionTokenIssuer;
} {
  const sessionTokens = new SessionTokenIssuer(app.apiKey, app.apiSecret, store.lifetimes.sessionTokenSeconds);
  return {
    store,
    sessionTokens,
    validateAccessToken: (shop, token) => store.validate(shop, token),
    issueSessionToken: (shop, opts) => sessionTokens.issue(shop, opts?.userId),
    revokeShop: (shop) => store.revokeShop(shop),
  };
}

export const oauthRoutes: FastifyPluginAsync<OAuthOptions> = async (fastify, options) => {
  const { ctx } = options;
  const app = ctx.app;
  const store = new TokenStore(resolveLifetimes(options.lifetimes), options.now);
  const authority = createAuthority(app, store);
  ctx.auth = authority;

  // Uninstall revokes every token the shop issued to the app (Shopify does the same).
  const onChange = (change: StoreChange) => {
    if (change.topic === "app/uninstalled") store.revokeShop(change.shop);
  };
  ctx.events.on("change", onChange);
  fastify.addHook("onClose", async () => {
    ctx.events.off("change", onChange);
  });

  // Shopify accepts form bodies on the token endpoint as well as JSON.
  if (!fastify.hasContentTypeParser("application/x-www-form-urlencoded")) {
    fastify.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
      done(null, Object.fromEntries(new URLSearchParams(body as string)));
    });
  }

  const scopeString = (scopes: string[]) => scopes.join(",");
  const offlineResponse = (access: AccessTokenRecord, refresh?: { token: string }) => ({
    access_token: access.token,
    scope: scopeString(access.scopes),
    ...(access.expiresAt !== null && {
      expires_in: store.lifetimes.accessTokenSeconds,
      ...(refresh && {
        refresh_token: refresh.token,
        refresh_token_expires_in: store.lifetimes.refreshTokenSeconds,
      }),
    }),
  });
  const onlineResponse = (shop: string, access: AccessTokenRecord) => ({
    access_token: access.token,
    scope: scopeString(access.scopes),
    expires_in: store.lifetimes.onlineTokenSeconds,
    associated_user_scope: scopeString(access.scopes),
    associated_user: associatedUser(shop, access.userId ?? "1"),
  });

  fastify.post("/admin/oauth/access_token", async (request, reply) => {
    const shop = shopFromRequest(request);
    if (!shop) {
      return oauthError(
        reply,
        400,
        "invalid_request",
        "Request must be made to a *.myshopify.com shop (Host or X-Forwarded-Host)",
      );
    }
    // Like Shopify, parameters may come as query string (old clients), JSON or form.
    const body: Body = {
      ...(request.query as Body),
      ...(request.body && typeof request.body === "object" ? (request.body as Body) : {}),
    };
    const clientId = str(body, "client_id") ?? "";
    const clientSecret = str(body, "client_secret") ?? "";
    if (!safeEqual(clientId, app.apiKey) || !safeEqual(clientSecret, app.apiSecret)) {
      return oauthError(
        reply,
        401,
        "invalid_client",
        "Client authentication failed: unknown client_id or wrong client_secret",
      );
    }
    const expiring = ["1", "true"].includes(str(body, "expiring") ?? "0");
    const install = (scopes: string[]) => ctx.installApp?.(shop, scopes) ?? true;
    const grantType = str(body, "grant_type");

    if (grantType === TOKEN_EXCHANGE_GRANT) {
      const subjectToken = str(body, "subject_token") ?? "";
      const subjectTokenType = str(body, "subject_token_type");
      const requested = str(body, "requested_token_type") ?? OFFLINE_TOKEN_TYPE;
      if (requested !== OFFLINE_TOKEN_TYPE && requested !== ONLINE_TOKEN_TYPE) {
        return oauthError(reply, 400, "invalid_request", `Unsupported requested_token_type ${requested}`);
      }
      if (subjectTokenType === OFFLINE_TOKEN_TYPE) {
        // Migration of a non-expiring offline token to an expiring one.
        if (requested !== OFFLINE_TOKEN_TYPE || !expiring) {
          return oauthError(
            reply,
            400,
            "invalid_request",
            "Offline token migration requires an expiring offline token",
          );
        }
        const migrated = store.migrateNonExpiring(shop, subjectToken);
        if (!migrated)
          return oauthError(
            reply,
            400,
            "invalid_subject_token",
            "Subject token is not a valid non-expiring offline token",
          );
        return offlineResponse(migrated.access, migrated.refresh);
      }
      if (subjectTokenType !== ID_TOKEN_TYPE) {
        return oauthError(reply, 400, "invalid_request", `Unsupported subject_token_type ${String(subjectTokenType)}`);
      }
      const verified = await authority.sessionTokens.verify(subjectToken, shop);
      if (!verified.ok) return oauthError(reply, 400, "invalid_subject_token", verified.error);
      if (!install(app.scopes)) return reply.code(404).send({ errors: "Not Found" });
      if (requested === ONLINE_TOKEN_TYPE) {
        return onlineResponse(shop, store.issueOnline(shop, app.scopes, verified.claims.sub));
      }
      const issued = store.issueOffline(shop, app.scopes, expiring);
      return offlineResponse(issued.access, issued.refresh);
    }

    if (grantType === "refresh_token") {
      const result = store.useRefreshToken(shop, str(body, "refresh_token") ?? "");
      if (!result.ok) return oauthError(reply, 400, "invalid_grant", `Refresh token is ${result.reason}`);
      return offlineResponse(result.access, result.refresh);
    }

    if (grantType === undefined || grantType === "authorization_code") {
      const code = str(body, "code");
      if (!code) return oauthError(reply, 400, "invalid_request", "Missing code or grant_type");
      const grant = store.takeCode(shop, code);
      if (!grant) {
        return oauthError(reply, 400, "invalid_request", "The authorization code was not found or was already used");
      }
      if (!install(grant.scopes)) return reply.code(404).send({ errors: "Not Found" });
      if (grant.online) return onlineResponse(shop, store.issueOnline(shop, grant.scopes, "1"));
      const issued = store.issueOffline(shop, grant.scopes, expiring);
      return offlineResponse(issued.access, issued.refresh);
    }

    return oauthError(reply, 400, "unsupported_grant_type", `Unsupported grant_type ${grantType}`);
  });

  fastify.get("/admin/oauth/authorize", async (request, reply) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    const one = (key: string) => {
      const value = query[key];
      return Array.isArray(value) ? value[0] : value;
    };
    // A browser cannot be rewritten by the app's fetch seam, so `?shop=` is accepted as a fallback.
    const queryShop = one("shop");
    const shop = shopFromRequest(request) ?? (queryShop && isShopDomain(queryShop) ? queryShop : null);
    if (!shop) return reply.code(400).send({ errors: "Unknown shop: use a *.myshopify.com host or ?shop=" });
    if (one("client_id") !== app.apiKey) return reply.code(400).send({ errors: "Invalid client_id" });
    const redirectUri = one("redirect_uri");
    let redirect: URL;
    try {
      redirect = new URL(redirectUri ?? "");
    } catch {
      return reply.code(400).send({ errors: "Invalid redirect_uri" });
    }
    // Shopify requires the URI in [auth] redirect_urls; the emulator accepts the app's own origin.
    if (redirect.origin !== new URL(app.appUrl).origin) {
      return reply.code(400).send({ errors: `redirect_uri must be on ${new URL(app.appUrl).origin}` });
    }
    const requestedScopes = (one("scope") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const online = (one("grant_options[]") ?? one("grant_options") ?? "") === "per-user";
    const code = store.createCode(shop, requestedScopes.length ? requestedScopes : app.scopes, online);
    const params: Record<string, string> = {
      code,
      host: adminHostParam(shop),
      shop,
      state: one("state") ?? "",
      timestamp: String(Math.floor(Date.now() / 1000)),
    };
    params.hmac = signCallbackQuery(params, app.apiSecret);
    for (const [key, value] of Object.entries(params)) redirect.searchParams.set(key, value);
    return reply.redirect(redirect.toString().replace(/\+/g, "%20"), 302);
  });

  // ---- control routes (tests, e2e) -----------------------------------------------------------
  fastify.setErrorHandler((error, _request, reply) => {
    if (error instanceof z.ZodError) return reply.code(400).send({ errors: error.issues });
    return reply.send(error);
  });
  const shopBody = z.object({ shop: z.string().refine(isShopDomain, "shop must be *.myshopify.com") });

  fastify.post("/__emulator/oauth/session-token", async (request) => {
    const body = shopBody.extend({ userId: z.string().optional() }).parse(request.body ?? {});
    return { token: await authority.issueSessionToken(body.shop, { userId: body.userId }) };
  });
  fastify.post("/__emulator/oauth/revoke", async (request) => {
    const body = shopBody.extend({ token: z.string().optional() }).parse(request.body ?? {});
    if (body.token) return { revoked: store.revokeAccessToken(body.token) ? 1 : 0 };
    store.revokeShop(body.shop);
    return { revoked: "all" };
  });
  fastify.post("/__emulator/oauth/expire", async (request) => {
    const body = shopBody.parse(request.body ?? {});
    return { expired: store.expireAccessTokens(body.shop) };
  });
  fastify.get("/__emulator/oauth/tokens", async (request) => {
    const query = shopBody.parse(request.query);
    return store.describeShop(query.shop);
  });
};
