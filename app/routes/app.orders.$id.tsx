import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Badge, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { InfoCard } from "~/components/InfoCard";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { TableCard } from "~/components/TableCard";
import { pageRecord } from "~/view-models/context.server";
import { orderDetailView, orderIdParam } from "~/view-models/orders.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageRecord(request, params.id, orderIdParam, orderDetailView, "order");

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
          <InfoCard title="Summary">
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
          </InfoCard>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Order" backUrl="/app/orders" />;
}
