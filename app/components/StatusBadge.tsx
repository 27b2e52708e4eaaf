// One badge for every status word the app shows (sync jobs, webhook deliveries, orders, products).
import { Badge } from "@shopify/polaris";
import type { ComponentProps } from "react";

type Tone = ComponentProps<typeof Badge>["tone"];

const TONES: Record<string, Tone> = {
  succeeded: "success",
  processed: "success",
  paid: "success",
  fulfilled: "success",
  active: "success",
  running: "info",
  processing: "info",
  queued: "attention",
  received: "attention",
  pending: "attention",
  unfulfilled: "attention",
  partially_fulfilled: "attention",
  draft: "attention",
  failed: "critical",
  dead: "critical",
  refunded: "warning",
  partially_refunded: "warning",
  voided: "warning",
  cancelled: undefined,
  ignored: undefined,
  redacted: undefined,
  archived: undefined,
};

export function StatusBadge({ status }: { status: string | null | undefined }) {
  if (!status) return <Badge>—</Badge>;
  const key = status.toLowerCase();
  const label = key.replace(/_/g, " ");
  return <Badge tone={TONES[key]}>{label.charAt(0).toUpperCase() + label.slice(1)}</Badge>;
}
