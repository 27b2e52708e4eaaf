// App lifecycle deliveries: app/uninstalled and app/scopes_update.
import { z } from "zod";
import type { AdminGraphqlClient } from "~/admin-api/client.server";
import { checkAppInstallation } from "~/admin-api/shop.server";
import { db } from "~/db.server";
import { logger } from "~/observability/logger.server";
import type { RefusedByState, WebhookContext } from "./context";

/**
 * app/uninstalled may arrive twice, or after the sessions are gone: every step is idempotent. The
 * store is marked uninstalled and its sessions deleted (the tokens are revoked anyway); its data stays
 * until shop/redact (Shopify sends it 48 hours after uninstall, and not at all after a reinstall) or
 * the retention job's purge (app/privacy/retention.server.ts).
 *
 * Shopify signs only the body, and this body is the shop object, the same in every delivery about the
 * shop: it says which shop, never which installation or when. So the stored state and Shopify must
 * agree before anything is undone (docs/decisions/0016-trust-boundary.md,
 * docs/decisions/0039-confirm-uninstall-with-shopify.md):
 * - a delivery triggered before the store's latest install (late, retried or replayed) is about an
 *   installation that no longer exists: refused. Triggered-at is X-Shopify-Triggered-At, or when we
 *   received it if the header is missing; both can be forged, so this only catches honest stale ones;
 * - otherwise Shopify is asked with the store's offline token (`shopify`, the one Admin client). An
 *   uninstall revokes the token: a 401, or no offline session left, confirms it. A token Shopify still
 *   accepts means the app is installed: refused, the store stays active with its sessions and syncs.
 *   When Shopify cannot say (5xx, throttled, unreachable), checkAppInstallation throws: the delivery
 *   fails and the store's processing job retries it later (app/sync/tasks/webhooks/process.server.ts).
 */
export async function handleAppUninstalled(
  { store, triggeredAt, receivedAt }: WebhookContext,
  shopify: AdminGraphqlClient,
): Promise<RefusedByState | undefined> {
  const { installedAt } = await db.shopifyStore.findUniqueOrThrow({
    where: { id: store.id },
    select: { installedAt: true },
  });
  const triggered = triggeredAt ?? receivedAt;
  if (triggered < installedAt) {
    return {
      refused: `app/uninstalled triggered at ${triggered.toISOString()}, before the latest install (${installedAt.toISOString()})`,
    };
  }
  const installation = await checkAppInstallation(shopify);
  if (installation.installed) {
    return {
      refused:
        "app/uninstalled while Shopify still accepts the store's access token (the app is installed): nothing changed",
    };
  }
  logger.info({ shop: store.shop, confirmedBy: installation.because }, "webhook:uninstall-confirmed");
  await db.$transaction([
    db.shopifyStore.updateMany({
      where: { id: store.id, status: "active" },
      data: { status: "uninstalled", uninstalledAt: receivedAt },
    }),
    db.session.deleteMany({ where: { shop: store.shop } }),
    db.shopifySyncJob.updateMany({
      where: { storeId: store.id, status: { in: ["queued", "running"] } },
      data: { status: "cancelled", error: "app uninstalled", finishedAt: receivedAt },
    }),
  ]);
  return undefined;
}

// Shopify documents `current` as an array of scope handles; one source saw a comma string.
const scopesUpdatePayload = z.object({
  current: z.union([z.array(z.string()), z.string().transform((value) => value.split(","))]),
});

export async function handleScopesUpdate({ store, payload }: WebhookContext): Promise<void> {
  const { current } = scopesUpdatePayload.parse(payload);
  const scopes = current.map((scope) => scope.trim()).filter(Boolean);
  await db.$transaction([
    db.shopifyStore.update({ where: { id: store.id }, data: { grantedScopes: scopes.join(",") } }),
    // The library compares a session's scopes with the app's to decide whether to re-authorize.
    db.session.updateMany({ where: { shop: store.shop }, data: { scope: scopes.join(",") } }),
  ]);
}
