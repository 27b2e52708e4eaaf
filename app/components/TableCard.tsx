// A card with a heading and a table of figures, or a sentence when there are no rows: the block the
// detail pages (product, order, delivery) and the Sync page repeat.
import { Box, Card, DataTable, Text } from "@shopify/polaris";
import type { ComponentProps, ReactNode } from "react";

type Cell = ReactNode;

export function TableCard({
  title,
  headings,
  numeric = [],
  rows,
  empty,
  totals,
}: {
  title: string;
  headings: string[];
  /** Indexes of the columns holding figures (right-aligned). */
  numeric?: number[];
  rows: Cell[][];
  /** Shown instead of the table when there are no rows. */
  empty: string;
  /** A totals row, shown in the footer. */
  totals?: ComponentProps<typeof DataTable>["totals"];
}) {
  return (
    <Card padding="0">
      <Box padding="400">
        <Text as="h2" variant="headingMd">
          {title}
        </Text>
      </Box>
      {rows.length ? (
        <DataTable
          columnContentTypes={headings.map((_, index) => (numeric.includes(index) ? "numeric" : "text"))}
          headings={headings}
          rows={rows}
          totals={totals}
          showTotalsInFooter={totals !== undefined}
        />
      ) : (
        <Box padding="400">
          <Text as="p" tone="subdued">
            {empty}
          </Text>
        </Box>
      )}
    </Card>
  );
}
