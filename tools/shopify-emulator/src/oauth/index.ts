export { oauthRoutes, createAuthority, resolveLifetimes, signCallbackQuery, type OAuthOptions } from "./routes";
export { TOKEN_EXCHANGE_GRANT, ID_TOKEN_TYPE, OFFLINE_TOKEN_TYPE, ONLINE_TOKEN_TYPE } from "./routes";
export { TokenStore, SHOPIFY_LIFETIMES, type TokenLifetimes } from "./token-store";
export { SessionTokenIssuer, type SessionTokenClaims } from "./session-token";
export { shopFromRequest, adminHostParam, isShopDomain } from "./shop-host";
