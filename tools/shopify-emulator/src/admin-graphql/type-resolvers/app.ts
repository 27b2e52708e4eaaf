// The app's own objects: AppInstallation, access scopes, webhook subscriptions and their payloads.
import { type EmulatedApp } from "../../context";
import { type WebhookSubscriptionRec } from "../../state/model";
import { iso } from "../../state/views";
import { type FieldDef, type RequestContext, plain, g, legacy, hash } from "./shared";

export const APP_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  AppInstallation: {
    id: (x: { rc: RequestContext }) => g(x.rc, "AppInstallation", 0),
    accessScopes: (x: { rc: RequestContext }) =>
      (x.rc.scopes ?? x.rc.shop.installation.scopes).map((handle) => ({ handle, description: `Scope ${handle}` })),
    launchUrl: (x: { rc: RequestContext }) =>
      `https://admin.shopify.com/store/${x.rc.shop.domain.replace(/\.myshopify\.com$/, "")}/apps/${x.rc.app.apiKey}`,
    uninstallUrl: () => null,
    app: (x: { rc: RequestContext }) => x.rc.app,
  },
  AccessScope: plain("handle", "description"),
  App: {
    id: (a: EmulatedApp) => `gid://shopify/App/${hash(a.apiKey)}`,
    apiKey: (a: EmulatedApp) => a.apiKey,
    title: () => "Shop Sync",
    handle: () => "shop-sync",
    embedded: () => true,
    webhookApiVersion: (a: EmulatedApp) => a.webhookApiVersion,
  },

  WebhookSubscription: {
    id: (w: WebhookSubscriptionRec, _a, rc) => g(rc, "WebhookSubscription", w.seq),
    legacyResourceId: (w: WebhookSubscriptionRec, _a, rc) => legacy(rc, "WebhookSubscription", w.seq),
    topic: (w: WebhookSubscriptionRec) => w.topic,
    uri: (w: WebhookSubscriptionRec) => w.uri,
    callbackUrl: (w: WebhookSubscriptionRec) => w.uri,
    endpoint: (w: WebhookSubscriptionRec) => ({ __typename: "WebhookHttpEndpoint", callbackUrl: w.uri }),
    name: (w: WebhookSubscriptionRec) => w.name,
    filter: (w: WebhookSubscriptionRec) => w.filter,
    format: (w: WebhookSubscriptionRec) => w.format,
    includeFields: (w: WebhookSubscriptionRec) => w.includeFields,
    metafieldNamespaces: (w: WebhookSubscriptionRec) => w.metafieldNamespaces,
    apiVersion: (w: WebhookSubscriptionRec) => ({ handle: w.apiVersion, displayName: w.apiVersion, supported: true }),
    createdAt: (w: WebhookSubscriptionRec) => iso(w.createdAt),
    updatedAt: (w: WebhookSubscriptionRec) => iso(w.updatedAt),
  },
  WebhookHttpEndpoint: plain("callbackUrl"),
  ApiVersion: plain("handle", "displayName", "supported"),
  WebhookSubscriptionCreatePayload: plain("webhookSubscription", "userErrors"),
  WebhookSubscriptionDeletePayload: plain("deletedWebhookSubscriptionId", "userErrors"),
  UserError: plain("field", "message"),
};
