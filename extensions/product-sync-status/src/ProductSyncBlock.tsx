// The block's content: the product's sync status and the resync action. Rendered by
// BlockExtension.tsx inside Shopify's admin with the `shopify` global's APIs, and by the rendering
// test with stand-ins (ProductSyncBlock.test.tsx).
import { useCallback, useEffect, useState } from "preact/hooks";
import type { AppApi, ProductSyncStatus } from "./app-api";
import { statusView, type BlockI18n } from "./status-view";

export interface ProductSyncBlockProps {
  api: AppApi;
  i18n: BlockI18n;
  productGid: string | undefined;
}

type State = { kind: "loading" } | { kind: "loaded"; status: ProductSyncStatus } | { kind: "failed"; message: string };

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

export function ProductSyncBlock({ api, i18n, productGid }: ProductSyncBlockProps) {
  const [state, setState] = useState<State>({ kind: "loading" });
  const [resyncing, setResyncing] = useState(false);
  const [notice, setNotice] = useState<{ text: string; tone: "success" | "critical" } | null>(null);
  const t = i18n.translate;

  useEffect(() => {
    if (!productGid) return;
    let current = true;
    api.status(productGid).then(
      (status) => current && setState({ kind: "loaded", status }),
      (error: unknown) => current && setState({ kind: "failed", message: messageOf(error) }),
    );
    return () => {
      current = false;
    };
  }, [api, productGid]);

  const resync = useCallback(async () => {
    if (!productGid) return;
    setResyncing(true);
    setNotice(null);
    try {
      setState({ kind: "loaded", status: await api.resync(productGid) });
      setNotice({ text: t("resynced"), tone: "success" });
    } catch (error) {
      setNotice({ text: t("resyncFailed", { message: messageOf(error) }), tone: "critical" });
    } finally {
      setResyncing(false);
    }
  }, [api, productGid, t]);

  if (state.kind === "loading") {
    return (
      <s-admin-block heading={t("heading")}>
        <s-text>{t("loading")}</s-text>
      </s-admin-block>
    );
  }
  if (state.kind === "failed") {
    return (
      <s-admin-block heading={t("heading")}>
        <s-banner tone="critical">{t("loadFailed", { message: state.message })}</s-banner>
      </s-admin-block>
    );
  }
  const view = statusView(state.status, i18n);
  return (
    <s-admin-block heading={t("heading")} collapsedSummary={view.badge.text}>
      <s-stack direction="block" gap="base">
        <s-stack direction="inline" gap="small-200">
          <s-badge
            tone={view.badge.tone === "success" ? "success" : view.badge.tone === "warning" ? "warning" : "critical"}
          >
            {view.badge.text}
          </s-badge>
        </s-stack>
        {view.lines.map((line) => (
          <s-paragraph key={line.text} tone={line.tone}>
            {line.text}
          </s-paragraph>
        ))}
        {notice && <s-banner tone={notice.tone}>{notice.text}</s-banner>}
        <s-button onClick={resync} loading={resyncing} disabled={resyncing}>
          {t("resync")}
        </s-button>
      </s-stack>
    </s-admin-block>
  );
}
