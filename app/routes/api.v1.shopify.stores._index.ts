// GET /api/v1/shopify/stores: the authenticated shop's store, as a one-element list (a session token
// only ever speaks for one shop). docs/api/openapi.yaml. The product page's admin block
// (extensions/product-sync-status) reads its store id here, from another origin: CORS.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { storeResource } from "~/view-models/api.server";
import { extensionApi } from "~/view-models/context.server";

export const loader = async ({ request }: LoaderFunctionArgs) =>
  extensionApi(request, undefined, async (store) => Response.json({ data: [storeResource(store)] }));

// Other methods (Remix hands OPTIONS, the CORS preflight, to the loader, where authenticate.admin
// answers it).
export const action = async ({ request }: ActionFunctionArgs) =>
  extensionApi(request, undefined, async () =>
    Response.json(
      { error: { code: "method_not_allowed", message: "Use GET" } },
      { status: 405, headers: { Allow: "GET" } },
    ),
  );
