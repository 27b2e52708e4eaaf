import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Badge, InlineStack, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ResourceIndexPage } from "~/components/ResourceIndexPage";
import { RowLink, type Column } from "~/components/ResourceTable";
import { ValueSelect, type ValueSelectField } from "~/components/ValueSelect";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { pageStore, parseSearchParams } from "~/view-models/context.server";
import { FINANCIAL_STATUSES, FULFILLMENT_STATUSES, orderListQuery, orderListView } from "~/view-models/orders.server";

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

type OrderRow = ReturnType<typeof useLoaderData<typeof loader>>["orders"][number];

const COLUMNS: Column<OrderRow>[] = [
  {
    title: "Order",
    cell: (order) => (
      <InlineStack gap="100">
        <RowLink url={`/app/orders/${order.id}`}>{order.name}</RowLink>
        {order.test ? <Badge>Test</Badge> : null}
        {order.cancelled ? <Badge tone="warning">Cancelled</Badge> : null}
      </InlineStack>
    ),
  },
  { title: "Date", cell: (order) => order.createdAt },
  { title: "Customer", cell: (order) => order.customer ?? "—" },
  { title: "Total", numeric: true, cell: (order) => order.total },
  { title: "Payment", cell: (order) => <StatusBadge status={order.financialStatus} /> },
  { title: "Fulfillment", cell: (order) => <StatusBadge status={order.fulfillmentStatus} /> },
];

export default function Orders() {
  const { orders, query, total, pagination, financialStatuses, fulfillmentStatuses } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(query.q);
  const statusFilters: ValueSelectField[] = [
    {
      label: "Payment status",
      name: "financialStatus",
      values: financialStatuses,
      initial: query.financialStatus ?? "",
    },
    {
      label: "Fulfillment status",
      name: "fulfillmentStatus",
      values: fulfillmentStatuses,
      initial: query.fulfillmentStatus ?? "",
    },
  ];
  const [from, setFrom] = useState(query.from ?? "");
  const [to, setTo] = useState(query.to ?? "");
  return (
    <ResourceIndexPage
      title="Orders"
      resourceName={{ singular: "order", plural: "orders" }}
      rows={orders}
      columns={COLUMNS}
      pagination={{ ...pagination, total }}
      filters={{
        label: "Filter orders",
        applied: Boolean(query.q || query.financialStatus || query.fulfillmentStatus || query.from || query.to),
        clearUrl: "/app/orders",
        fields: (
          <>
            <div style={{ flex: "1 1 12rem" }}>
              <TextField label="Order or email" name="q" value={search} onChange={setSearch} autoComplete="off" />
            </div>
            {statusFilters.map((filter) => (
              <ValueSelect key={filter.name} {...filter} anyLabel="Any" format={label} />
            ))}
            <TextField label="From (UTC)" type="date" name="from" value={from} onChange={setFrom} autoComplete="off" />
            <TextField label="To (UTC)" type="date" name="to" value={to} onChange={setTo} autoComplete="off" />
          </>
        ),
      }}
      empty={{
        heading: "No orders synced yet",
        body: "Orders appear here after the first orders sync.",
        filteredHeading: "No orders match",
        filteredBody: "Change or clear the filters.",
      }}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError title="Orders" />;
}
