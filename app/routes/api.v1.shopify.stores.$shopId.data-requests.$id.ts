// GET /api/v1/shopify/stores/{shop_id}/data-requests/{id}: the request and its export (everything Shop
// Sync holds about the customer). POST with {"fulfilled": true}: mark it sent on to the customer.
// Another shop's store or request answers 404. docs/api/openapi.yaml.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiStore, badRequest, notFound } from "~/view-models/context.server";
import { dataRequestExport, dataRequestIdParam, markDataRequestFulfilled } from "~/view-models/data-requests.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await apiStore(request, params.shopId);
  const id = dataRequestIdParam.safeParse(params.id);
  const exported = id.success ? await dataRequestExport(store, id.data) : null;
  if (!exported) throw notFound("No such data request");
  return Response.json({ data: exported });
};

const fulfilInput = z.object({ fulfilled: z.literal(true) });

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") {
    return Response.json(
      { error: { code: "method_not_allowed", message: "Use GET or POST" } },
      { status: 405, headers: { Allow: "GET, POST" } },
    );
  }
  const store = await apiStore(request, params.shopId);
  const id = dataRequestIdParam.safeParse(params.id);
  const input = fulfilInput.safeParse(await request.json().catch(() => null));
  if (!input.success) throw badRequest('Send {"fulfilled": true}', input.error.flatten().fieldErrors);
  if (!id.success || !(await markDataRequestFulfilled(store, id.data))) throw notFound("No such data request");
  const exported = await dataRequestExport(store, id.data);
  return Response.json({ data: exported?.request });
};
