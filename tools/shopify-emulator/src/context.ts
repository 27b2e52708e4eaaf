// The contract between the emulator's surfaces. Every surface module (admin-graphql, bulk-operations,
// oauth, webhooks, admin-shell, control) is a Fastify plugin that receives this context; none of them
// imports another surface directly, so each can be read and tested on its own.
import type { EventEmitter } from "node:events";

/** What the emulator knows about the app under test: what Shopify reads from the Partner Dashboard
 * and the app's `shopify.app.toml`. */
export interface EmulatedApp {
  apiKey: string; // client_id
  apiSecret: string; // client secret: signs session tokens and webhook HMACs
  appUrl: string; // application_url, where the admin shell points its iframe and webhooks resolve
  scopes: string[];
  webhookApiVersion: string;
  /** App-specific subscriptions from the TOML: `uri` already resolved against appUrl. */
  webhookSubscriptions: Array<{ topics: string[]; uri: string; complianceTopics: string[] }>;
}

export type Plan = "standard" | "advanced" | "plus";

/** Emitted by the store whenever merchants, customers or the app change a shop; the webhook sender
 * turns these into deliveries. `resource` is the store's object after the change (or before, for
 * deletions). */
export interface StoreChange {
  shop: string; // myshopify domain
  topic: string; // Shopify webhook topic, e.g. "products/update"
  resource: unknown;
  triggeredAt: Date;
  /** Shared by all deliveries caused by the same action (X-Shopify-Event-Id). */
  eventId: string;
}

export interface EmulatorContext {
  app: EmulatedApp;
  /** Emits "change" (StoreChange). */
  events: EventEmitter;
  /** Public origin of the emulator itself, e.g. http://127.0.0.1:4010 (for signed bulk URLs, the shell). */
  origin(): string;
  /** Multiplies every wait the emulator imposes (retry backoff, bulk-operation progress, token
   * lifetimes are separate): 1 = Shopify's real timings, 0.001 = a thousand times faster for tests. */
  timeScale: number;
}
