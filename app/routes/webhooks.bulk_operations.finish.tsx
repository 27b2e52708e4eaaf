// Shopify delivers `bulk_operations/finish` here (shopify.app.toml, uri "/webhooks/bulk_operations/finish"). The route only ingests:
// the delivery is verified, stored and queued; app/webhooks processes it outside Shopify's 5 s window.
import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestWebhook, rejectNonPost } from "~/webhooks/ingest.server";

export const action = ({ request }: ActionFunctionArgs) => ingestWebhook(request, "bulk_operations/finish");
export const loader = rejectNonPost;
