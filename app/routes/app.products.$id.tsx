import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, DataTable, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { notFound, pageStore } from "~/ui/context.server";
import { productDetailView, productIdParam } from "~/ui/products.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const id = productIdParam.safeParse(params.id);
  if (!id.success) throw notFound("No such product");
  const view = await productDetailView(store, id.data);
  if (!view) throw notFound("No such product in this store");
  return view;
};

export default function ProductDetail() {
  const { product, variants, lastWebhook } = useLoaderData<typeof loader>();
  return (
    <Page
      title={product.title}
      backAction={{ content: "Products", url: "/app/products" }}
      titleMetadata={<StatusBadge status={product.deleted ? "deleted" : product.status} />}
    >
      <TitleBar title={product.title} />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Card padding="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  Variants
                </Text>
              </div>
              {variants.length ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric"]}
                  headings={["Variant", "SKU", "Price", "Quantity"]}
                  rows={variants.map((variant) => [
                    variant.title,
                    variant.sku ?? "—",
                    variant.price ?? "—",
                    variant.inventoryQuantity ?? "—",
                  ])}
                />
              ) : (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    This product has no variants synced.
                  </Text>
                </div>
              )}
            </Card>
            <Card padding="0">
              <div style={{ padding: "var(--p-space-400)" }}>
                <Text as="h2" variant="headingMd">
                  Inventory by location
                </Text>
              </div>
              {variants.some((variant) => variant.inventory.length) ? (
                <DataTable
                  columnContentTypes={["text", "text", "numeric", "numeric", "numeric"]}
                  headings={["Variant", "Location", "Available", "On hand", "Committed"]}
                  rows={variants.flatMap((variant) =>
                    variant.inventory.map((level) => [
                      variant.title,
                      level.location,
                      level.available,
                      level.onHand ?? "—",
                      level.committed ?? "—",
                    ]),
                  )}
                />
              ) : (
                <div style={{ padding: "var(--p-space-400)" }}>
                  <Text as="p" tone="subdued">
                    No inventory levels synced for this product yet.
                  </Text>
                </div>
              )}
            </Card>
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Details
                </Text>
                <Text as="p">Vendor: {product.vendor ?? "—"}</Text>
                <Text as="p">Type: {product.productType ?? "—"}</Text>
                <Text as="p">Handle: {product.handle ?? "—"}</Text>
                <Text as="p">Updated in Shopify: {product.updatedAt}</Text>
                {product.tags.length ? (
                  <InlineStack gap="100" wrap>
                    {product.tags.map((tag) => (
                      <Badge key={tag}>{tag}</Badge>
                    ))}
                  </InlineStack>
                ) : null}
              </BlockStack>
            </Card>
            <Card>
              <BlockStack gap="200">
                <Text as="h2" variant="headingMd">
                  Last sync
                </Text>
                <Text as="p">
                  {product.syncedAt} by {product.syncedBy}
                </Text>
                <Text as="h2" variant="headingMd">
                  Last webhook
                </Text>
                {lastWebhook ? (
                  <BlockStack gap="100">
                    <InlineStack gap="200" blockAlign="center">
                      <Link url={`/app/webhooks/${lastWebhook.id}`}>{lastWebhook.topic}</Link>
                      <StatusBadge status={lastWebhook.status} />
                    </InlineStack>
                    <Text as="p" tone="subdued">
                      Received {lastWebhook.receivedAt}
                    </Text>
                  </BlockStack>
                ) : (
                  <Text as="p" tone="subdued">
                    No webhook received for this product.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Product" backUrl="/app/products" />;
}
