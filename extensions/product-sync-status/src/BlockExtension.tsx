// The Shop Sync block on a product's page in the Shopify admin (target
// admin.product-details.block.render): Preact and Polaris web components, as Shopify's templates
// for API 2025-10 and later are. ADR 0031.
import { render } from "preact";
import { createAppApi } from "./app-api";
import { ProductSyncBlock } from "./ProductSyncBlock";

export default async () => {
  const api = createAppApi({ fetch: (input, init) => fetch(input, init), idToken: () => shopify.auth.idToken() });
  render(<ProductSyncBlock api={api} i18n={shopify.i18n} productGid={shopify.data.selected[0]?.id} />, document.body);
};
