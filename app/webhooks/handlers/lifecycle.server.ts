// App lifecycle deliveries: app/uninstalled and app/scopes_update.
import { z } from "zod";
import { db } from "~/db.server";
import type { RefusedByState, WebhookContext } from "./context";

/**
 * app/uninstalled may arrive twice, or after the sessions are gone: every step is idempotent. The
 * store is marked uninstalled and its sessions deleted (the tokens are revoked anyway); its data stays
 * until shop/redact (Shopify sends it 48 hours after uninstall, and not at all after a reinstall) or
 * the retention job's purge (app/privacy/retention.server.ts).
 *
 * A delivery triggered before the store's latest install (late, retried or replayed) is about an
 * installation that no longer exists: it is refused, and the store stays active with its session.
 * Triggered-at is X-Shopify-Triggered-At, or when we received it if the header is missing.
 */
export async function handleAppUninstalled({
  store,
  triggeredAt,
  receivedAt,
}: WebhookContext): Promise<RefusedByState | undefined> {
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
