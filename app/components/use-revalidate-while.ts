// Reloads the route's data every `intervalMs` while `active` (a sync is queued or running), so a page
// follows a sync without the merchant reloading it; polling stops as soon as a load says nothing runs.
// Remix revalidation rather than server-sent events: the loaders already build the whole view, and a
// request every two seconds while a sync runs is cheap (docs/decisions/0030-live-sync-progress.md).
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";

export const LIVE_REFRESH_MS = 2_000;

export function useRevalidateWhile(active: boolean, intervalMs = LIVE_REFRESH_MS): void {
  const revalidator = useRevalidator();
  const latest = useRef(revalidator);
  latest.current = revalidator;
  useEffect(() => {
    if (!active) return;
    const timer = setInterval(() => {
      // Not while a load is still under way, nor in a hidden tab.
      if (latest.current.state === "idle" && document.visibilityState === "visible") latest.current.revalidate();
    }, intervalMs);
    return () => clearInterval(timer);
  }, [active, intervalMs]);
}
