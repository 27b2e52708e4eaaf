export { webhookRoutes, createWebhookSender, deliverChange, type WebhookOptions } from "./routes";
export {
  WebhookSender,
  type DeliveryRecord,
  type DeliveryRequest,
  type DeliveryStatus,
  type SenderOptions,
} from "./sender";
export { BehaviourSwitches, behaviourSchema, type Behaviour } from "./behaviour";
export { appFromToml, restTopic, targetsFor, type DeliveryTarget } from "./subscriptions";
export { bodyFor, payloadFor } from "./payloads";
export { stringifyPayload } from "./json";
