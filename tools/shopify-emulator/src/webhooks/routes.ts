// Wires the sender to the store and exposes the control routes:
//   POST /__emulator/webhooks/behaviour   duplicate / reorder / delay / drop switches (per shop or global)
//   GET  /__emulator/webhooks/behaviour
//   GET  /__emulator/webhooks/deliveries  delivery log with attempts (?shop=&topic=&webhookId=&status=&limit=)
//   POST /__emulator/webhooks/send        an arbitrary signed delivery (tests, fuzzing)
//   POST /__emulator/webhooks/flush       wait until nothing is pending (optionally skipping backoff)
//   DELETE /__emulator/webhooks/deliveries  forget settled deliveries
import { randomUUID } from "node:crypto";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { EmulatorContext, StoreChange } from "../context";
import { behaviourSchema } from "./behaviour";
import { isProtectedTopic } from "../customer-data";
import { bodyFor } from "./payloads";
import { WebhookSender, type SenderOptions } from "./sender";
import { targetsFor, type DeliveryTarget } from "./subscriptions";

export interface WebhookOptions {
  ctx: EmulatorContext;
  /** Pass one in to await deliveries in-process (sender.flush()); otherwise the plugin makes its own. */
  sender?: WebhookSender;
  senderOptions?: Partial<Omit<SenderOptions, "app" | "timeScale">>;
}

export function createWebhookSender(
  ctx: EmulatorContext,
  options: Partial<Omit<SenderOptions, "app" | "timeScale">> = {},
): WebhookSender {
  return new WebhookSender({ ...options, app: ctx.app, timeScale: () => ctx.timeScale });
}

/** Turns one store change into deliveries to every matching subscription. Returns how many. */
export function deliverChange(ctx: EmulatorContext, sender: WebhookSender, change: StoreChange): number {
  const access = isProtectedTopic(change.topic) ? ctx.customerDataAccess?.(change.shop) : undefined;
  // Without protected customer data approval Shopify does not let the app subscribe to the topic.
  if (access && access.level === "none") return 0;
  const targets = targetsFor(ctx, change.shop, change.topic);
  if (targets.length === 0) return 0; // no subscriber: don't even build the payload
  const body = bodyFor(change, access);
  for (const target of targets) {
    sender.enqueue({
      shop: change.shop,
      topic: change.topic,
      body,
      target,
      eventId: change.eventId,
      triggeredAt: change.triggeredAt,
    });
  }
  return targets.length;
}

const sendSchema = z.object({
  shop: z.string().min(1),
  topic: z.string().min(1),
  /** The raw body, sent byte for byte (a string, so big ids survive). Objects are serialized. */
  payload: z.union([z.string(), z.record(z.unknown()), z.array(z.unknown())]),
  webhookId: z.string().optional(),
  eventId: z.string().optional(),
  triggeredAt: z.string().datetime({ offset: true }).optional(),
  /** Deliver here instead of to the topic's subscriptions. */
  uri: z.string().url().optional(),
  apiVersion: z.string().optional(),
  name: z.string().optional(),
  /** Override the signature (e.g. a wrong one, to check the receiver answers 401). */
  hmac: z.string().optional(),
  bypassBehaviour: z.boolean().optional(),
  /** Wait until the deliveries settle (retries included, fast-forwarded) and return them. */
  wait: z.boolean().optional(),
});

const behaviourBody = behaviourSchema.extend({
  shop: z.string().optional(),
  /** Replace instead of merge; with no switches it clears them. */
  replace: z.boolean().optional(),
  reset: z.boolean().optional(),
});

export const webhookRoutes: FastifyPluginAsync<WebhookOptions> = async (fastify, options) => {
  const { ctx } = options;
  const sender = options.sender ?? createWebhookSender(ctx, options.senderOptions);
  const onChange = (change: StoreChange) => {
    try {
      deliverChange(ctx, sender, change);
    } catch (error) {
      // Must not throw into the store's emit(): a bad payload must not fail the merchant's action.
      fastify.log.error({ err: error, topic: change.topic, shop: change.shop }, "webhook payload build failed");
    }
  };
  ctx.events.on("change", onChange);
  fastify.addHook("onClose", async () => {
    ctx.events.off("change", onChange);
    if (!options.sender) await sender.close();
  });

  fastify.setErrorHandler((error, _request, reply) => {
    if (error instanceof z.ZodError) return reply.code(400).send({ errors: error.issues });
    return reply.send(error);
  });

  fastify.get("/__emulator/webhooks/behaviour", async () => sender.behaviour.describe());

  fastify.post("/__emulator/webhooks/behaviour", async (request) => {
    const { shop, replace, reset, ...switches } = behaviourBody.parse(request.body ?? {});
    if (reset) sender.behaviour.reset(shop);
    else sender.behaviour.set(shop, switches, replace);
    return sender.behaviour.describe();
  });

  fastify.get("/__emulator/webhooks/deliveries", async (request) => {
    const q = z
      .object({
        shop: z.string().optional(),
        topic: z.string().optional(),
        webhookId: z.string().optional(),
        status: z.string().optional(),
        limit: z.coerce.number().int().positive().optional(),
      })
      .parse(request.query);
    return { deliveries: sender.deliveries(q), stats: sender.stats() };
  });

  fastify.delete("/__emulator/webhooks/deliveries", async () => {
    sender.clearLog();
    return { ok: true };
  });

  fastify.post("/__emulator/webhooks/send", async (request, reply) => {
    const body = sendSchema.parse(request.body ?? {});
    const raw = typeof body.payload === "string" ? body.payload : JSON.stringify(body.payload);
    const targets: DeliveryTarget[] = body.uri
      ? [
          {
            uri: body.uri,
            apiVersion: body.apiVersion ?? ctx.app.webhookApiVersion,
            source: "send",
            ...(body.name && { name: body.name }),
          },
        ]
      : targetsFor(ctx, body.shop, body.topic).map((t) => ({
          ...t,
          ...(body.apiVersion && { apiVersion: body.apiVersion }),
          ...(body.name && { name: body.name }),
        }));
    if (targets.length === 0) {
      return reply.code(422).send({ errors: `No subscription for ${body.topic} on ${body.shop}; pass "uri"` });
    }
    const eventId = body.eventId ?? randomUUID();
    const triggeredAt = body.triggeredAt ? new Date(body.triggeredAt) : new Date();
    const records = targets.flatMap((target, i) =>
      sender.enqueue({
        shop: body.shop,
        topic: body.topic,
        body: raw,
        target,
        eventId,
        triggeredAt,
        // One id per subscription, as on Shopify; a given id is only reused for the first target.
        ...(body.webhookId && { webhookId: i === 0 ? body.webhookId : `${body.webhookId}-${i}` }),
        ...(body.hmac && { hmacOverride: body.hmac }),
        ...(body.bypassBehaviour && { bypassBehaviour: true }),
      }),
    );
    if (body.wait) await sender.flush({ fastForward: true });
    return { deliveries: records };
  });

  fastify.post("/__emulator/webhooks/flush", async (request) => {
    const body = z
      .object({ fastForward: z.boolean().optional(), timeoutMs: z.number().int().positive().max(600_000).optional() })
      .parse(request.body ?? {});
    const result = await sender.flush(body);
    return { ...result, stats: sender.stats() };
  });
};
