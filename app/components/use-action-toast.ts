// Shows an App Bridge toast once per action result ({ message, error? }), e.g. after a fetcher submit.
import { useAppBridge } from "@shopify/app-bridge-react";
import { useEffect } from "react";

export interface ActionResult {
  ok: boolean;
  message: string;
}

export function useActionToast(result: ActionResult | undefined) {
  const shopify = useAppBridge();
  useEffect(() => {
    if (result?.message) shopify.toast.show(result.message, { isError: !result.ok });
  }, [result, shopify]);
}
