// Shopify delivers `app/scopes_update` here (shopify.app.toml, uri "/webhooks/app/scopes_update"). The route only ingests:
// the delivery is verified, stored and queued; app/webhooks processes it outside Shopify's 5 s window.
import type { ActionFunctionArgs } from "@remix-run/node";
import { ingestWebhook, rejectNonPost } from "~/webhooks/ingest.server";

export const action = ({ request }: ActionFunctionArgs) => ingestWebhook(request, "app/scopes_update");
export const loader = rejectNonPost;
