import type { LoaderFunctionArgs } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
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
import { productListQuery, productListView } from "~/ui/products.server";

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

export default function Products() {
  const { products, query, total, pagination } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const [search, setSearch] = useState(query.q);
  const [sort, setSort] = useState<string>(query.sort);
  return (
    <Page title="Products">
      <TitleBar title="Products" />
      <BlockStack gap="400">
        <Card>
          <Form method="get" role="search" aria-label="Search products">
            <InlineStack gap="300" blockAlign="end" wrap>
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
              <Button submit loading={navigation.state === "loading"}>
                Apply
              </Button>
            </InlineStack>
          </Form>
        </Card>
        {total === 0 ? (
          <EmptyCard heading={query.q ? "No products match" : "No products synced yet"}>
            <p>
              {query.q
                ? "Try another title or SKU."
                : "Products appear here after the first sync. Start one from the Sync page."}
            </p>
          </EmptyCard>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "product", plural: "products" }}
              itemCount={products.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[
                { title: "Product" },
                { title: "Status" },
                { title: "Vendor" },
                { title: "Variants", alignment: "end" },
                { title: "Updated" },
              ]}
            >
              {products.map((product, index) => (
                <IndexTable.Row id={product.id} key={product.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/products/${product.id}`} removeUnderline>
                      <Text as="span" fontWeight="semibold">
                        {product.title}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <StatusBadge status={product.status} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>{product.vendor ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {product.variants}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>{product.updatedAt}</IndexTable.Cell>
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
  return <RouteError title="Products" />;
}
