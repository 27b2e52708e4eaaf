// What the block says about a product's sync status, as lines of text with a tone: kept apart from
// the rendering so the wording rules are tested on their own (status-view.test.ts).
import type { ProductSyncStatus } from "./app-api";

export interface BlockI18n {
  translate: (key: string, options?: Record<string, string | number>) => string;
  formatDate: (date: Date, options?: Intl.DateTimeFormatOptions) => string;
  formatNumber: (value: number) => string;
}

export type Tone = "success" | "warning" | "critical" | "info" | "neutral";

export interface StatusLine {
  text: string;
  tone: Tone;
}

export interface StatusView {
  badge: StatusLine;
  lines: StatusLine[];
}

const SOURCES = new Set(["bulk", "incremental", "webhook", "reconcile", "resync", "sync"]);

export function statusView(status: ProductSyncStatus, i18n: BlockI18n): StatusView {
  const { mirror, shopify, agreement } = status;
  const t = i18n.translate;
  const badge: StatusLine = mirror.mirrored
    ? { text: t("mirrored"), tone: "success" }
    : mirror.deleted
      ? { text: t("deleted"), tone: "warning" }
      : { text: t("notMirrored"), tone: "critical" };
  const lines: StatusLine[] = [];
  if (mirror.syncedAt) {
    const source =
      mirror.syncedBy && SOURCES.has(mirror.syncedBy) ? t(`source.${mirror.syncedBy}`) : (mirror.syncedBy ?? "?");
    const when = i18n.formatDate(new Date(mirror.syncedAt), { dateStyle: "medium", timeStyle: "short" });
    lines.push({ text: t("lastSynced", { when, source }), tone: "neutral" });
  } else {
    lines.push({ text: t("neverSynced"), tone: "neutral" });
  }
  if (status.checkError) {
    lines.push({ text: t("checkFailed", { message: status.checkError }), tone: "warning" });
  } else if (shopify && !shopify.found) {
    lines.push({ text: t("notInShopify"), tone: mirror.mirrored ? "critical" : "neutral" });
  } else if (agreement && shopify) {
    lines.push(
      agreement.variantsAgree
        ? { text: t("variantsAgree", { count: i18n.formatNumber(shopify.variants) }), tone: "success" }
        : {
            text: t("variantsDiffer", {
              missing: i18n.formatNumber(agreement.missingVariants.length),
              extra: i18n.formatNumber(agreement.extraVariants.length),
            }),
            tone: "critical",
          },
    );
    lines.push(
      agreement.stockAgrees
        ? { text: t("stockAgrees", { units: i18n.formatNumber(shopify.unitsAvailable) }), tone: "success" }
        : {
            text: t("stockDiffers", {
              mirror: i18n.formatNumber(mirror.unitsAvailable),
              shopify: i18n.formatNumber(shopify.unitsAvailable),
            }),
            tone: "critical",
          },
    );
  }
  return { badge, lines };
}
