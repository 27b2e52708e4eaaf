// GET /api/v1/shopify/stores/{shop_id}/stats: catalogue counts and the last 30 days' orders and
// revenue (exact minor units). docs/api/openapi.yaml.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { statsResource } from "~/view-models/api.server";
import { apiStore } from "~/view-models/context.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await apiStore(request, params.shopId);
  return Response.json({ data: await statsResource(store) });
};
