// Mutation: the writes the emulator implements (bulk operations, webhook subscriptions).
import { allowsObjects, customerDataAccessOf, isProtectedTopic } from "../../customer-data";
import { restTopic } from "../../webhooks/subscriptions";
import { type FieldDef, seqFromGid, live } from "./shared";

export const MUTATION_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  Mutation: {
    bulkOperationRunQuery: (_s, a, rc) => rc.bulk.run(rc, a.query, a.groupObjects),
    bulkOperationCancel: (_s, a, rc) => {
      const i = seqFromGid(rc, "BulkOperation", a.id);
      const op = i === undefined ? undefined : rc.shop.bulkOperations[i];
      if (!op || op.apiKey !== rc.app.apiKey)
        return { bulkOperation: null, userErrors: [{ field: ["id"], message: "Bulk operation does not exist" }] };
      return rc.bulk.cancel(rc, op);
    },
    webhookSubscriptionCreate: (_s, a, rc) => {
      const input = a.webhookSubscription as Record<string, unknown>;
      const uri = (input.uri ?? input.callbackUrl) as string | undefined;
      const field = input.uri !== undefined ? "uri" : "callbackUrl";
      if (!uri)
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", "uri"], message: "Address can't be blank" }],
        };
      if (!/^(https:\/\/|http:\/\/(localhost|127\.0\.0\.1|\[::1\])(:|\/)|pubsub:\/\/|arn:aws:events:)/.test(uri))
        return {
          webhookSubscription: null,
          userErrors: [{ field: ["webhookSubscription", field], message: "Address protocol http:// is not supported" }],
        };
      if (isProtectedTopic(restTopic(String(a.topic))) && !allowsObjects(customerDataAccessOf(rc.shop, rc.app.apiKey)))
        return {
          webhookSubscription: null,
          userErrors: [
            {
              field: ["webhookSubscription"],
              message: "This app is not approved to subscribe to webhook topics containing protected customer data.",
            },
          ],
        };
      const dup = live(rc.shop.webhookSubscriptions).some((w) => w.topic === a.topic && w.uri === uri);
      if (dup)
        return {
          webhookSubscription: null,
          userErrors: [
            { field: ["webhookSubscription", field], message: "Address for this topic has already been taken" },
          ],
        };
      const rec = rc.store.createWebhookSubscription(rc.shop, {
        topic: a.topic,
        uri,
        name: (input.name as string | undefined) ?? null,
        filter: (input.filter as string | undefined) ?? null,
        format: (input.format as "JSON" | "XML" | undefined) ?? "JSON",
        includeFields: (input.includeFields as string[] | undefined) ?? [],
        metafieldNamespaces: (input.metafieldNamespaces as string[] | undefined) ?? [],
        apiVersion: rc.app.webhookApiVersion,
      });
      return { webhookSubscription: rec, userErrors: [] };
    },
    webhookSubscriptionDelete: (_s, a, rc) => {
      const i = seqFromGid(rc, "WebhookSubscription", a.id);
      if (i === undefined || !rc.store.deleteWebhookSubscription(rc.shop, i))
        return {
          deletedWebhookSubscriptionId: null,
          userErrors: [{ field: ["id"], message: "Webhook subscription does not exist" }],
        };
      return { deletedWebhookSubscriptionId: String(a.id), userErrors: [] };
    },
  },
};
