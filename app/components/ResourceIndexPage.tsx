// The shape every list page shares: Page → filters (a GET form) → table → pagination, or an empty
// state when nothing is there (or nothing matches the filters). A list route passes only its
// columns, its filter fields and its texts; errors are the route's ErrorBoundary (RouteError).
import { Form, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, InlineStack, Page } from "@shopify/polaris";
import type { ComponentProps, ReactNode } from "react";
import { EmptyCard } from "./EmptyCard";
import { PaginationLinks } from "./PaginationLinks";
import { ResourceTable, type Column } from "./ResourceTable";

export function ResourceIndexPage<Row extends { id: string }>({
  title,
  resourceName,
  rows,
  columns,
  pagination,
  filters,
  empty,
  secondaryActions,
}: {
  title: string;
  resourceName: { singular: string; plural: string };
  rows: Row[];
  columns: Column<Row>[];
  pagination: { page: number; hasPrevious: boolean; hasNext: boolean; total: number };
  filters: {
    /** The form's accessible name ("Filter orders"). */
    label: string;
    /** The filter fields (named inputs: the form submits them as the query). */
    fields: ReactNode;
    /** Whether any filter is applied; with `clearUrl`, a Clear link is shown. */
    applied: boolean;
    clearUrl?: string;
  };
  /** The empty state, with and without filters applied. */
  empty: { heading: string; body: string; filteredHeading: string; filteredBody: string };
  secondaryActions?: ComponentProps<typeof Page>["secondaryActions"];
}) {
  const loading = useNavigation().state === "loading";
  return (
    <Page title={title} secondaryActions={secondaryActions}>
      <TitleBar title={title} />
      <BlockStack gap="400">
        <Card>
          <Form method="get" role="search" aria-label={filters.label}>
            <InlineStack gap="300" blockAlign="end" wrap>
              {filters.fields}
              <Button submit loading={loading}>
                Apply
              </Button>
              {filters.applied && filters.clearUrl ? (
                <Button url={filters.clearUrl} variant="plain">
                  Clear
                </Button>
              ) : null}
            </InlineStack>
          </Form>
        </Card>
        {pagination.total === 0 ? (
          <EmptyCard heading={filters.applied ? empty.filteredHeading : empty.heading}>
            <p>{filters.applied ? empty.filteredBody : empty.body}</p>
          </EmptyCard>
        ) : (
          <Card padding="0">
            <ResourceTable resourceName={resourceName} rows={rows} columns={columns} loading={loading} />
            <Box padding="300">
              <PaginationLinks {...pagination} />
            </Box>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}
