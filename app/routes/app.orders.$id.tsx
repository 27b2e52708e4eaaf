import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, BlockStack, Card, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { TableCard } from "~/components/TableCard";
import { notFound, pageStore } from "~/ui/context.server";
import { orderDetailView, orderIdParam } from "~/ui/orders.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const id = orderIdParam.safeParse(params.id);
  if (!id.success) throw notFound("No such order");
  const view = await orderDetailView(store, id.data);
  if (!view) throw notFound("No such order in this store");
  return view;
};

export default function OrderDetail() {
  const { order, lineItems } = useLoaderData<typeof loader>();
  return (
    <Page
      title={order.name}
      subtitle={order.createdAt ?? undefined}
      backAction={{ content: "Orders", url: "/app/orders" }}
      titleMetadata={
        <InlineStack gap="100">
          <StatusBadge status={order.financialStatus} />
          <StatusBadge status={order.fulfillmentStatus} />
          {order.test ? <Badge>Test</Badge> : null}
        </InlineStack>
      }
    >
      <TitleBar title={`Order ${order.name}`} />
      <Layout>
        <Layout.Section>
          <TableCard
            title="Line items"
            headings={["Item", "SKU", "Quantity", "Unit price", "Total"]}
            numeric={[2, 3, 4]}
            rows={lineItems.map((line) => [
              line.variantTitle ? `${line.title} — ${line.variantTitle}` : line.title,
              line.sku ?? "—",
              line.quantity,
              line.unitPrice,
              line.lineTotal,
            ])}
            totals={["", "", "", "", order.total]}
            empty="No line items synced for this order."
          />
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Summary
              </Text>
              <Text as="p">Customer: {order.redacted ? "Redacted" : (order.customer ?? order.email ?? "—")}</Text>
              <Text as="p">Subtotal: {order.subtotal ?? "—"}</Text>
              <Text as="p">Discounts: {order.discounts ?? "—"}</Text>
              <Text as="p">Tax: {order.tax ?? "—"}</Text>
              <Text as="p" fontWeight="semibold">
                Total: {order.total}
              </Text>
              {order.cancelledAt ? (
                <Text as="p" tone="critical">
                  Cancelled {order.cancelledAt}
                  {order.cancelReason ? ` (${order.cancelReason.toLowerCase()})` : ""}
                </Text>
              ) : null}
              <Text as="p" tone="subdued">
                Synced {order.syncedAt} by {order.syncedBy}
              </Text>
            </BlockStack>
          </Card>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Order" backUrl="/app/orders" />;
}
