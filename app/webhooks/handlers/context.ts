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
