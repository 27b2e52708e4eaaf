// GET /api/v1/shopify/stores/{shop_id}: the store; DELETE: disconnect, purging its synced data.
// Another shop's id answers 404 (apiStore). docs/api/openapi.yaml.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { storeResource } from "~/view-models/api.server";
import { apiStore } from "~/view-models/context.server";
import { purgeStoreData } from "~/view-models/settings.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await apiStore(request, params.shopId);
  return Response.json({ data: storeResource(store) });
};

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "DELETE") {
    return Response.json(
      { error: { code: "method_not_allowed", message: "Use GET or DELETE" } },
      { status: 405, headers: { Allow: "GET, DELETE" } },
    );
  }
  const store = await apiStore(request, params.shopId);
  const purged = await purgeStoreData(store);
  return Response.json({ data: { storeId: store.id, purged } });
};
