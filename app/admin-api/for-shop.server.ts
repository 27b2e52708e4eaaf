// Admin access for background code (jobs, CLIs): adminClientFor(shop) is an AdminGraphqlClient whose
// every attempt takes the library's admin context from `unauthenticated.admin(shop)`
// (app/shopify.server.ts), i.e. from the stored offline session, refreshed when its expiring token is
// within 5 minutes of expiry — by refreshExpiringOfflineSession just before, with the library's own
// refresh call, so that Shopify refusing the refresh token (an uninstall revoked it) is an
// UNAUTHORIZED error and not a retried HTTP 500.
//
// One refresh per shop at a time: concurrent callers for one shop share a single in-flight
// unauthenticated.admin(shop) (single flight), so two jobs of a process never spend the same refresh
// token twice, and the context is reused until shortly before its token would need refreshing.
//
// Across processes (several `npm run worker`s on PostgreSQL) nothing here serialises: two processes
// may refresh one shop at the same moment. That is survivable because Shopify rotates refresh tokens
// but keeps the previous one valid until the new one is first used (the emulator's refresh_token
// grant does the same: tools/shopify-emulator/src/oauth/README.md): both refreshes succeed, each process saves the pair it got, the last write wins, and
// the losing pair's access token still works until it expires. Per-shop job queues
// (`shop:<domain>`) keep most work for one shop in one process anyway.
import { AdminGraphqlClient, type AdminClientOptions, type LibraryAdminContext } from "./client.server";

interface CachedContext {
  admin: LibraryAdminContext;
  /** Reuse until then (ms); null for a token that does not expire. */
  freshUntil: number | null;
}

// The library refreshes a token within 5 minutes of its expiry; we go back to it a minute earlier,
// so a cached context is never one the library would have refreshed.
const REFRESH_MARGIN_MS = 6 * 60_000;

const cached = new Map<string, CachedContext>();
const inFlight = new Map<string, Promise<LibraryAdminContext>>();

/** The library's admin context for `shop`: cached, or loaded (and refreshed) once per shop at a time. */
export async function libraryAdminFor(shop: string): Promise<LibraryAdminContext> {
  const hit = cached.get(shop);
  if (hit && (hit.freshUntil === null || hit.freshUntil > Date.now())) return hit.admin;
  const pending = inFlight.get(shop);
  if (pending) return pending;
  const load = (async () => {
    // Imported when first needed: loading shopify.server chooses the emulator seam, and tests set
    // SHOPIFY_EMULATOR_URL before that happens.
    const { refreshExpiringOfflineSession, unauthenticated } = await import("~/shopify.server");
    await refreshExpiringOfflineSession(shop);
    const { session, admin } = await unauthenticated.admin(shop);
    const expires = session.expires ? session.expires.getTime() - REFRESH_MARGIN_MS : null;
    cached.set(shop, { admin, freshUntil: expires });
    return admin;
  })();
  inFlight.set(shop, load);
  try {
    return await load;
  } finally {
    inFlight.delete(shop);
  }
}

/** Drops the cached context of `shop` (after a 401, an uninstall, or in tests). */
export function forgetAdminContext(shop?: string): void {
  if (shop) cached.delete(shop);
  else cached.clear();
}

/** The Admin client for background work on `shop`. Cheap: state is per shop, not per client. */
export function adminClientFor(shop: string, options: Omit<AdminClientOptions, "shop"> = {}): AdminGraphqlClient {
  return new AdminGraphqlClient(
    { admin: () => libraryAdminFor(shop), invalidate: () => forgetAdminContext(shop) },
    { ...options, shop },
  );
}
