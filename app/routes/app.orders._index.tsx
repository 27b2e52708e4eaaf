import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  BlockStack,
  Button,
  Card,
  IndexTable,
  InlineStack,
  Link,
  Page,
  Select,
  Text,
  TextField,
} from "@shopify/polaris";
import { useState } from "react";
import { EmptyCard } from "~/components/EmptyCard";
import { PaginationLinks } from "~/components/PaginationLinks";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { pageStore, parseSearchParams } from "~/ui/context.server";
import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES, orderListQuery, orderListView } from "~/ui/orders.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const query = parseSearchParams(request, orderListQuery);
  return {
    ...(await orderListView(store, query)),
    financialStatuses: FINANCIAL_STATUSES,
    fulfillmentStatuses: FULFILLMENT_STATUSES,
  };
};

const label = (status: string) => status.charAt(0) + status.slice(1).toLowerCase().replace(/_/g, " ");

export default function Orders() {
  const { orders, query, total, pagination, financialStatuses, fulfillmentStatuses } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query.q);
  const [financial, setFinancial] = useState<string>(query.financialStatus ?? "");
  const [fulfillment, setFulfillment] = useState<string>(query.fulfillmentStatus ?? "");
  const [from, setFrom] = useState(query.from ?? "");
  const [to, setTo] = useState(query.to ?? "");
  const filtered = Boolean(query.q || query.financialStatus || query.fulfillmentStatus || query.from || query.to);
  return (
    <Page title="Orders">
      <TitleBar title="Orders" />
      <BlockStack gap="400">
        <Card>
          <Form method="get" role="search" aria-label="Filter orders">
            <InlineStack gap="300" blockAlign="end" wrap>
              <div style={{ flex: "1 1 12rem" }}>
                <TextField label="Order or email" name="q" value={search} onChange={setSearch} autoComplete="off" />
              </div>
              <Select
                label="Payment status"
                name="financialStatus"
                options={[
                  { label: "Any", value: "" },
                  ...financialStatuses.map((value) => ({ label: label(value), value })),
                ]}
                value={financial}
                onChange={setFinancial}
              />
              <Select
                label="Fulfillment status"
                name="fulfillmentStatus"
                options={[
                  { label: "Any", value: "" },
                  ...fulfillmentStatuses.map((value) => ({ label: label(value), value })),
                ]}
                value={fulfillment}
                onChange={setFulfillment}
              />
              <TextField
                label="From (UTC)"
                type="date"
                name="from"
                value={from}
                onChange={setFrom}
                autoComplete="off"
              />
              <TextField label="To (UTC)" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
              <Button submit loading={navigation.state === "loading"}>
                Apply
              </Button>
              {filtered ? (
                <Button url="/app/orders" variant="plain">
                  Clear
                </Button>
              ) : null}
            </InlineStack>
          </Form>
        </Card>
        {total === 0 ? (
          <EmptyCard heading={filtered ? "No orders match" : "No orders synced yet"}>
            <p>{filtered ? "Change or clear the filters." : "Orders appear here after the first orders sync."}</p>
          </EmptyCard>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "order", plural: "orders" }}
              itemCount={orders.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[
                { title: "Order" },
                { title: "Date" },
                { title: "Customer" },
                { title: "Total", alignment: "end" },
                { title: "Payment" },
                { title: "Fulfillment" },
              ]}
            >
              {orders.map((order, index) => (
                <IndexTable.Row id={order.id} key={order.id} position={index}>
                  <IndexTable.Cell>
                    <InlineStack gap="100">
                      <Link url={`/app/orders/${order.id}`} removeUnderline>
                        <Text as="span" fontWeight="semibold">
                          {order.name}
                        </Text>
                      </Link>
                      {order.test ? <Badge>Test</Badge> : null}
                      {order.cancelled ? <Badge tone="warning">Cancelled</Badge> : null}
                    </InlineStack>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{order.createdAt}</IndexTable.Cell>
                  <IndexTable.Cell>{order.customer ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {order.total}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <StatusBadge status={order.financialStatus} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <StatusBadge status={order.fulfillmentStatus} />
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
            <div style={{ padding: "var(--p-space-300)" }}>
              <PaginationLinks {...pagination} total={total} />
            </div>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Orders" />;
}
