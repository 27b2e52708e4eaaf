// Security events: one log line (no secrets, no bodies: the shop, topic, webhook id and the reason)
// and one count in /metrics (shop_sync_security_events_total{event,topic}) for everything the trust
// boundary refuses (docs/decisions/0016-trust-boundary.md).
import { logger } from "./logger.server";
import { recordSecurityEvent, type SecurityEvent } from "./metrics.server";

export interface SecurityEventFields {
  shop?: string | null;
  topic?: string | null;
  webhookId?: string | null;
  reason: string;
}

export function securityEvent(event: SecurityEvent, fields: SecurityEventFields): void {
  recordSecurityEvent(event, fields.topic);
  logger.warn({ securityEvent: event, ...fields }, `security:${event}`);
}
