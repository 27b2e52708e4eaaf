import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { InfoCard } from "~/components/InfoCard";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { TableCard } from "~/components/TableCard";
import { pageRecord } from "~/view-models/context.server";
import { productDetailView, productIdParam } from "~/view-models/products.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageRecord(request, params.id, productIdParam, productDetailView, "product");

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
            <TableCard
              title="Variants"
              headings={["Variant", "SKU", "Price", "Quantity"]}
              numeric={[2, 3]}
              rows={variants.map((variant) => [
                variant.title,
                variant.sku ?? "—",
                variant.price ?? "—",
                variant.inventoryQuantity ?? "—",
              ])}
              empty="This product has no variants synced."
            />
            <TableCard
              title="Inventory by location"
              headings={["Variant", "Location", "Available", "On hand", "Committed"]}
              numeric={[2, 3, 4]}
              rows={variants.flatMap((variant) =>
                variant.inventory.map((level) => [
                  variant.title,
                  level.location,
                  level.available,
                  level.onHand ?? "—",
                  level.committed ?? "—",
                ]),
              )}
              empty="No inventory levels synced for this product yet."
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <InfoCard title="Details">
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
            </InfoCard>
            <InfoCard title="Last sync">
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
            </InfoCard>
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Product" backUrl="/app/products" />;
}
