// What a webhook handler receives: the stored delivery, its store, and the parsed payload.
export interface WebhookContext {
  store: { id: number; shop: string };
  eventId: string;
  topic: string;
  /** Parsed with integers above 2^53 kept exact. */
  payload: unknown;
  triggeredAt: Date | null;
  receivedAt: Date;
}

/** A delivery whose payload cannot be mapped (wrong shape, types or values): retrying cannot help. */
export class WebhookPayloadError extends Error {
  override name = "WebhookPayloadError";
}

/**
 * A destructive delivery the stored state does not agree with (shop/redact for an installed store,
 * app/uninstalled triggered before the latest install): recorded as ignored with this reason, never
 * applied (docs/decisions/0016-trust-boundary.md).
 */
export interface RefusedByState {
  refused: string;
}
