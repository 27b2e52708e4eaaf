import type { LoaderFunctionArgs } from "@remix-run/node";
import { env } from "~/env.server";
import { scrapeAllowed, scrapeMetrics } from "~/observability/metrics.server";

// Prometheus scrape endpoint (a resource route: no UI). It carries no shop data, only counts by topic
// and state; with METRICS_TOKEN set it answers only scrapes that present the token, and in production it
// is not served without one.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { METRICS_TOKEN, NODE_ENV } = env();
  if (!METRICS_TOKEN && NODE_ENV === "production") {
    return new Response("Set METRICS_TOKEN to serve metrics in production", { status: 403 });
  }
  if (!scrapeAllowed(request, METRICS_TOKEN, NODE_ENV === "production")) {
    return new Response("Unauthorized", { status: 401, headers: { "WWW-Authenticate": 'Bearer realm="metrics"' } });
  }
  const { body, contentType } = await scrapeMetrics();
  return new Response(body, { status: 200, headers: { "Content-Type": contentType, "Cache-Control": "no-store" } });
};
