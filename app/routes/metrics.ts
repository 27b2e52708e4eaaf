import { scrapeMetrics } from "~/observability/metrics.server";

// Prometheus scrape endpoint (a resource route: no UI). Serve it on an internal network only; it
// carries no shop data, only counts by topic and state.
export const loader = async () => {
  const { body, contentType } = await scrapeMetrics();
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
};
