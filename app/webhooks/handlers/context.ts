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
