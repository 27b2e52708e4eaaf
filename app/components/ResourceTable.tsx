// A list of records as a Polaris IndexTable described by its columns: the route says what each column
// shows, this draws the rows. Used by the list pages (ResourceIndexPage) and the Sync page's jobs.
import { IndexTable, Link, Text, type IndexTableProps } from "@shopify/polaris";
import type { ReactNode } from "react";

export interface Column<Row> {
  title: string;
  /** Right-aligned, tabular figures. */
  numeric?: boolean;
  cell(row: Row): ReactNode;
}

export function ResourceTable<Row extends { id: string }>({
  resourceName,
  rows,
  columns,
  loading,
}: {
  resourceName: { singular: string; plural: string };
  rows: Row[];
  columns: Column<Row>[];
  loading?: boolean;
}) {
  const headings = columns.map((column) => ({
    title: column.title,
    alignment: column.numeric ? ("end" as const) : undefined,
  }));
  return (
    <IndexTable
      resourceName={resourceName}
      itemCount={rows.length}
      selectable={false}
      loading={loading}
      headings={headings as IndexTableProps["headings"]}
    >
      {rows.map((row, index) => (
        <IndexTable.Row id={row.id} key={row.id} position={index}>
          {columns.map((column) => (
            <IndexTable.Cell key={column.title}>
              {column.numeric ? (
                <Text as="span" alignment="end" numeric>
                  {column.cell(row)}
                </Text>
              ) : (
                column.cell(row)
              )}
            </IndexTable.Cell>
          ))}
        </IndexTable.Row>
      ))}
    </IndexTable>
  );
}

/** A row's first cell: its name, linking to the record's page. */
export function RowLink({ url, children }: { url: string; children: ReactNode }) {
  return (
    <Link url={url} removeUnderline>
      <Text as="span" fontWeight="semibold">
        {children}
      </Text>
    </Link>
  );
}
