// A store as the tests need it: seeded in the emulator ("Shopify") and installed in the app's database
// (the store row and the offline session an install writes, through the app's encrypted session
// storage). app/shopify.server.ts and app/db.server.ts are imported on first use, after the test has
// started its emulator and chosen the seam (tests/support/emulator.ts).
import type { Plan, SeedParams } from "../../tools/shopify-emulator/src/testing";
import type { TestEmulator } from "./emulator";
import { installedOfflineSession } from "./shopify-requests";

export interface InstalledStore {
  id: number;
  shop: string;
  grantedScopes: string;
  orderHistoryDays: number;
}

/** Creates (or replaces) `shop` in the emulator, seeded, with the token installedOfflineSession gives. */
export async function seedShop(
  emulator: TestEmulator,
  shop: string,
  { scopes, plan = "standard", seed }: { scopes: readonly string[]; plan?: Plan; seed: SeedParams },
): Promise<void> {
  await emulator.control("POST", "/shops", {
    shop,
    plan,
    scopes,
    accessToken: installedOfflineSession(shop).accessToken,
    replace: true,
    seed,
  });
}

/** The store row and offline session an install of `shop` with `scopes` would have written. */
export async function installStore(
  shop: string,
  { scopes, orderHistoryDays }: { scopes: readonly string[]; orderHistoryDays?: number },
): Promise<InstalledStore> {
  const { db } = await import("~/db.server");
  const { sessionStorage } = await import("~/shopify.server");
  await sessionStorage.storeSession(installedOfflineSession(shop));
  const store = await db.shopifyStore.create({
    data: {
      shop,
      name: shop,
      currencyCode: "USD",
      grantedScopes: scopes.join(","),
      ...(orderHistoryDays !== undefined && { orderHistoryDays }),
    },
  });
  return { id: store.id, shop, grantedScopes: scopes.join(","), orderHistoryDays: store.orderHistoryDays };
}
