// GET /api/v1/shopify/stores/{shop_id}/data-requests: the store's customer data requests, newest first.
// Another shop's id answers 404 (apiStore). docs/api/openapi.yaml.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { apiStore } from "~/view-models/context.server";
import { dataRequestResource, listDataRequests } from "~/view-models/data-requests.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await apiStore(request, params.shopId);
  return Response.json({ data: (await listDataRequests(store)).map(dataRequestResource) });
};
