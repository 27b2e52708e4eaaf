// GET /api/v1/shopify/stores: the authenticated shop's store, as a one-element list (a session token
// only ever speaks for one shop). docs/api/openapi.yaml.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { storeResource } from "~/ui/api.server";
import { apiStore } from "~/ui/context.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await apiStore(request);
  return Response.json({ data: [storeResource(store)] });
};
