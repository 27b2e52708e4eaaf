// POST /api/v1/shopify/stores/{shop_id}/products/{product_id}/resync: reads the product and its
// inventory from Shopify again (the Admin client), writes them to the mirror and answers the product's
// sync status after. Called by the product page's admin block (extensions/product-sync-status) with
// the session token, from the extension's origin (CORS). docs/api/openapi.yaml.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { AdminApiError } from "~/admin-api/client.server";
import { extensionApi } from "~/view-models/context.server";
import { productGidParam, resyncProduct } from "~/view-models/product-sync.server";

export const action = async ({ request, params }: ActionFunctionArgs) =>
  extensionApi(request, params.shopId, async (store) => {
    if (request.method !== "POST") {
      return Response.json(
        { error: { code: "method_not_allowed", message: "Use POST" } },
        { status: 405, headers: { Allow: "POST" } },
      );
    }
    const productGid = productGidParam(params.productId);
    try {
      return Response.json({ data: await resyncProduct(store, productGid) });
    } catch (error) {
      if (!(error instanceof AdminApiError)) throw error;
      // Shopify could not be read: nothing was written; the merchant can try again.
      return Response.json(
        { error: { code: "shopify_unavailable", message: error.message, retryable: error.retryable } },
        { status: error.retryable ? 503 : 502 },
      );
    }
  });

// Remix hands GET, HEAD and the browser's CORS preflight (OPTIONS) to the loader: authenticate.admin
// answers the preflight with 204; anything else is the wrong method.
export const loader = async ({ request, params }: LoaderFunctionArgs) =>
  extensionApi(request, params.shopId, async () =>
    Response.json(
      { error: { code: "method_not_allowed", message: "Use POST" } },
      { status: 405, headers: { Allow: "POST" } },
    ),
  );
