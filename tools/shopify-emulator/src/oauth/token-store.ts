// Every Admin API credential the emulator has handed out: access tokens (offline, expiring offline,
// online), refresh tokens and authorization codes. In memory only; one store per emulator instance.
import { randomBytes } from "node:crypto";
import type { AccessTokenValidation } from "../context";

export interface TokenLifetimes {
  /** Expiring offline access tokens: Shopify says 3600 s. */
  accessTokenSeconds: number;
  /** Refresh tokens: Shopify says 90 days. */
  refreshTokenSeconds: number;
  /** Online (per-user) access tokens: about 24 h on Shopify (`expires_in` 86399). */
  onlineTokenSeconds: number;
  /** Session tokens (id_token): 1 minute on Shopify. */
  sessionTokenSeconds: number;
  /** Authorization codes from /admin/oauth/authorize. Shopify does not document this; 10 minutes. */
  authorizationCodeSeconds: number;
}

export const SHOPIFY_LIFETIMES: TokenLifetimes = {
  accessTokenSeconds: 3600,
  refreshTokenSeconds: 90 * 24 * 3600,
  onlineTokenSeconds: 86399,
  sessionTokenSeconds: 60,
  authorizationCodeSeconds: 600,
};

/** "More resilient refreshes": a replaced refresh token stays usable until its replacement is first
 * used, but never longer than 30 days after its own first use. */
const PREVIOUS_REFRESH_TOKEN_CAP_MS = 30 * 24 * 3600 * 1000;

export interface AccessTokenRecord {
  token: string;
  shop: string;
  kind: "offline" | "online";
  scopes: string[];
  expiresAt: number | null; // epoch ms; null = non-expiring offline token
  revoked: boolean;
  userId?: string;
}

interface RefreshTokenRecord {
  token: string;
  shop: string;
  scopes: string[];
  expiresAt: number;
  revoked: boolean;
  firstUsedAt: number | null;
  /** The refresh token whose use produced this one (its "previous" token). */
  parent: string | null;
  /** Replacements issued when this token was used (more than one if the app retried with it). */
  children: string[];
}

interface AuthorizationCode {
  code: string;
  shop: string;
  scopes: string[];
  online: boolean;
  expiresAt: number;
}

export type RefreshResult =
  | { ok: true; access: AccessTokenRecord; refresh: RefreshTokenRecord }
  | { ok: false; reason: "unknown" | "revoked" | "expired" | "superseded" | "wrong_shop" };

function randomToken(prefix: string): string {
  return `${prefix}${randomBytes(16).toString("hex")}`;
}

export class TokenStore {
  private readonly access = new Map<string, AccessTokenRecord>();
  private readonly refresh = new Map<string, RefreshTokenRecord>();
  private readonly codes = new Map<string, AuthorizationCode>();
  /** Shopify keeps one non-expiring offline token per app and shop and hands the same one out again. */
  private readonly nonExpiringOffline = new Map<string, string>();

  constructor(
    readonly lifetimes: TokenLifetimes,
    private readonly now: () => number = Date.now,
  ) {}

  issueOffline(
    shop: string,
    scopes: string[],
    expiring: boolean,
  ): { access: AccessTokenRecord; refresh?: RefreshTokenRecord } {
    if (!expiring) {
      const existing = this.nonExpiringOffline.get(shop);
      const record = existing ? this.access.get(existing) : undefined;
      if (record && !record.revoked) return { access: record };
      const fresh = this.addAccess({ shop, kind: "offline", scopes, expiresAt: null });
      this.nonExpiringOffline.set(shop, fresh.token);
      return { access: fresh };
    }
    const access = this.addAccess({
      shop,
      kind: "offline",
      scopes,
      expiresAt: this.now() + this.lifetimes.accessTokenSeconds * 1000,
    });
    return { access, refresh: this.addRefresh(shop, scopes, null) };
  }

  issueOnline(shop: string, scopes: string[], userId: string): AccessTokenRecord {
    return this.addAccess({
      shop,
      kind: "online",
      scopes,
      userId,
      expiresAt: this.now() + this.lifetimes.onlineTokenSeconds * 1000,
    });
  }

  /** Rotates: the used token gets a replacement pair. The used token's own parent dies now, because
   * its replacement (the used token) has been used. */
  useRefreshToken(shop: string, token: string): RefreshResult {
    const record = this.refresh.get(token);
    if (!record) return { ok: false, reason: "unknown" };
    if (record.shop !== shop) return { ok: false, reason: "wrong_shop" };
    if (record.revoked) return { ok: false, reason: "revoked" };
    const now = this.now();
    if (record.expiresAt <= now) return { ok: false, reason: "expired" };
    if (record.children.some((child) => this.refresh.get(child)?.firstUsedAt != null)) {
      return { ok: false, reason: "superseded" };
    }
    if (record.firstUsedAt != null && now - record.firstUsedAt > PREVIOUS_REFRESH_TOKEN_CAP_MS) {
      return { ok: false, reason: "superseded" };
    }
    record.firstUsedAt ??= now;
    if (record.parent) {
      const parent = this.refresh.get(record.parent);
      // The parent and any sibling replacements issued for retries of the parent are finished.
      if (parent) {
        parent.revoked = true;
        for (const sibling of parent.children) {
          if (sibling !== record.token) this.revokeRefresh(sibling);
        }
      }
    }
    const access = this.addAccess({
      shop,
      kind: "offline",
      scopes: record.scopes,
      expiresAt: now + this.lifetimes.accessTokenSeconds * 1000,
    });
    const refresh = this.addRefresh(shop, record.scopes, record.token);
    record.children.push(refresh.token);
    return { ok: true, access, refresh };
  }

  /** Migration of a non-expiring offline token to an expiring one revokes the old token. */
  migrateNonExpiring(shop: string, token: string): { access: AccessTokenRecord; refresh: RefreshTokenRecord } | null {
    const record = this.access.get(token);
    if (!record || record.shop !== shop || record.revoked || record.kind !== "offline" || record.expiresAt !== null) {
      return null;
    }
    record.revoked = true;
    this.nonExpiringOffline.delete(shop);
    const issued = this.issueOffline(shop, record.scopes, true);
    return { access: issued.access, refresh: issued.refresh! };
  }

  createCode(shop: string, scopes: string[], online: boolean): string {
    const code = randomBytes(16).toString("hex");
    this.codes.set(code, {
      code,
      shop,
      scopes,
      online,
      expiresAt: this.now() + this.lifetimes.authorizationCodeSeconds * 1000,
    });
    return code;
  }

  /** Codes are single-use. */
  takeCode(shop: string, code: string): AuthorizationCode | null {
    const record = this.codes.get(code);
    if (!record) return null;
    this.codes.delete(code);
    if (record.shop !== shop || record.expiresAt <= this.now()) return null;
    return record;
  }

  validate(shop: string, token: string): AccessTokenValidation {
    const record = this.access.get(token);
    if (!record) return { ok: false, reason: "unknown" };
    if (record.shop !== shop) return { ok: false, reason: "wrong_shop" };
    if (record.revoked) return { ok: false, reason: "revoked" };
    if (record.expiresAt !== null && record.expiresAt <= this.now()) return { ok: false, reason: "expired" };
    return {
      ok: true,
      scopes: record.scopes,
      kind: record.kind,
      expiresAt: record.expiresAt === null ? null : new Date(record.expiresAt),
    };
  }

  revokeAccessToken(token: string): boolean {
    const record = this.access.get(token);
    if (!record) return false;
    record.revoked = true;
    return true;
  }

  /** Expires every access token of the shop now (refresh tokens stay valid) – a test switch. */
  expireAccessTokens(shop: string): number {
    let n = 0;
    for (const record of this.access.values()) {
      if (record.shop === shop && record.expiresAt !== null && !record.revoked) {
        record.expiresAt = Math.min(record.expiresAt, this.now());
        n++;
      }
    }
    return n;
  }

  revokeShop(shop: string): void {
    for (const record of this.access.values()) if (record.shop === shop) record.revoked = true;
    for (const record of this.refresh.values()) if (record.shop === shop) record.revoked = true;
    for (const [code, record] of this.codes) if (record.shop === shop) this.codes.delete(code);
    this.nonExpiringOffline.delete(shop);
  }

  /** For the control route: what the emulator has issued for one shop (no secrets beyond tokens). */
  describeShop(shop: string) {
    const now = this.now();
    const access = [...this.access.values()]
      .filter((r) => r.shop === shop)
      .map((r) => ({
        token: r.token,
        kind: r.kind,
        expiring: r.expiresAt !== null,
        state: this.validate(shop, r.token).ok ? "live" : r.revoked ? "revoked" : "expired",
        expiresAt: r.expiresAt === null ? null : new Date(r.expiresAt).toISOString(),
      }));
    const refresh = [...this.refresh.values()]
      .filter((r) => r.shop === shop)
      .map((r) => ({
        token: r.token,
        state: r.revoked ? "revoked" : r.expiresAt <= now ? "expired" : r.firstUsedAt ? "used" : "unused",
        parent: r.parent,
        expiresAt: new Date(r.expiresAt).toISOString(),
      }));
    return { access, refresh };
  }

  private addAccess(fields: Omit<AccessTokenRecord, "token" | "revoked">): AccessTokenRecord {
    const record: AccessTokenRecord = {
      ...fields,
      token: randomToken(fields.kind === "online" ? "shpua_" : "shpat_"),
      revoked: false,
    };
    this.access.set(record.token, record);
    return record;
  }

  private addRefresh(shop: string, scopes: string[], parent: string | null): RefreshTokenRecord {
    const record: RefreshTokenRecord = {
      token: randomToken("shprt_"),
      shop,
      scopes,
      expiresAt: this.now() + this.lifetimes.refreshTokenSeconds * 1000,
      revoked: false,
      firstUsedAt: null,
      parent,
      children: [],
    };
    this.refresh.set(record.token, record);
    return record;
  }

  private revokeRefresh(token: string): void {
    const record = this.refresh.get(token);
    if (record) record.revoked = true;
  }
}
