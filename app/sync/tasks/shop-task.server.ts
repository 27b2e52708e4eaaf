// A task that reaches Shopify for a shop. It gets the Admin client from its helpers, not by importing
// app/admin-api/for-shop.server.ts: the registry (index.server.ts) binds it. So a task file, which
// also exports its identifier, payload schema and enqueue function, can be imported by what enqueues
// it (app/sync/triggers.server.ts, on the install path that app/shopify.server.ts runs) without an
// import cycle through the Shopify integration point.
import type { AdminClientOptions, AdminGraphqlClient } from "~/admin-api/client.server";
import type { TaskHelpers } from "~/sync/queue/queue.server";

export interface ShopTaskHelpers extends TaskHelpers {
  /** The Admin client for background work on `shop` (its offline session); `retry` narrows its retries. */
  adminFor(shop: string, options?: Pick<AdminClientOptions, "retry">): AdminGraphqlClient;
}

export type ShopTask = (payload: unknown, helpers: ShopTaskHelpers) => Promise<void>;
