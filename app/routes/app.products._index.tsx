import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Select, TextField } from "@shopify/polaris";
import { useState } from "react";
import { ResourceIndexPage } from "~/components/ResourceIndexPage";
import { RowLink, type Column } from "~/components/ResourceTable";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { pageStore, parseSearchParams } from "~/view-models/context.server";
import { productListQuery, productListView } from "~/view-models/products.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const query = parseSearchParams(request, productListQuery);
  return productListView(store, query);
};

const SORTS = [
  { label: "Recently updated", value: "updated-desc" },
  { label: "Least recently updated", value: "updated-asc" },
  { label: "Title A–Z", value: "title-asc" },
  { label: "Title Z–A", value: "title-desc" },
];

type ProductRow = ReturnType<typeof useLoaderData<typeof loader>>["products"][number];

const COLUMNS: Column<ProductRow>[] = [
  {
    title: "Product",
    cell: (product) => <RowLink url={`/app/products/${product.id}`}>{product.title}</RowLink>,
  },
  { title: "Status", cell: (product) => <StatusBadge status={product.status} /> },
  { title: "Vendor", cell: (product) => product.vendor ?? "—" },
  { title: "Variants", numeric: true, cell: (product) => product.variants },
  { title: "Updated", cell: (product) => product.updatedAt },
];

export default function Products() {
  const { products, query, total, pagination } = useLoaderData<typeof loader>();
  const [search, setSearch] = useState(query.q);
  const [sort, setSort] = useState<string>(query.sort);
  return (
    <ResourceIndexPage
      title="Products"
      resourceName={{ singular: "product", plural: "products" }}
      rows={products}
      columns={COLUMNS}
      pagination={{ ...pagination, total }}
      filters={{
        label: "Search products",
        applied: Boolean(query.q),
        fields: (
          <>
            <div style={{ flex: "1 1 16rem" }}>
              <TextField
                label="Search by title or SKU"
                name="q"
                value={search}
                onChange={setSearch}
                autoComplete="off"
                clearButton
                onClearButtonClick={() => setSearch("")}
              />
            </div>
            <Select label="Sort" name="sort" options={SORTS} value={sort} onChange={setSort} />
          </>
        ),
      }}
      empty={{
        heading: "No products synced yet",
        body: "Products appear here after the first sync. Start one from the Sync page.",
        filteredHeading: "No products match",
        filteredBody: "Try another title or SKU.",
      }}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError title="Products" />;
}
