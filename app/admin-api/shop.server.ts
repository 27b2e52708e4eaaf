// The `shop` query: what Shop Sync records about a store connection when the app is installed.
import { z } from "zod";
import type { AdminGraphqlClient } from "./client.server";
import { SHOP_CONNECTION_QUERY } from "./operations";

const shopConnectionSchema = z.object({
  shop: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    myshopifyDomain: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string().nullable(),
    plan: z.object({ publicDisplayName: z.string() }).nullable(),
    primaryDomain: z.object({ host: z.string() }).nullable(),
  }),
  appInstallation: z.object({ accessScopes: z.array(z.object({ handle: z.string() })) }),
});

export type ShopConnection = z.infer<typeof shopConnectionSchema>;

export async function fetchShopConnection(client: AdminGraphqlClient): Promise<ShopConnection> {
  return client.query(SHOP_CONNECTION_QUERY, shopConnectionSchema);
}
