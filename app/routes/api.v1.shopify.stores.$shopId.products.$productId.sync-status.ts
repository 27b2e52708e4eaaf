// GET /api/v1/shopify/stores/{shop_id}/products/{product_id}/sync-status: whether the mirror has the
// product, its last sync and what wrote it, and whether its variants and stock agree with Shopify's
// (read now). Called by the product page's admin block (extensions/product-sync-status) with the
// session token, from the extension's origin (CORS). docs/api/openapi.yaml.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { extensionApi } from "~/view-models/context.server";
import { productGidParam, productSyncStatus } from "~/view-models/product-sync.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) =>
  extensionApi(request, params.shopId, async (store) =>
    Response.json({ data: await productSyncStatus(store, productGidParam(params.productId)) }),
  );

// Other methods (Remix hands OPTIONS, the CORS preflight, to the loader, where authenticate.admin
// answers it).
export const action = async ({ request, params }: ActionFunctionArgs) =>
  extensionApi(request, params.shopId, async () =>
    Response.json(
      { error: { code: "method_not_allowed", message: "Use GET" } },
      { status: 405, headers: { Allow: "GET" } },
    ),
  );
