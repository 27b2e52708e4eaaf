// Labelled values in a grid, as a description list (<dl>): the dashboard's store connection, sync and
// webhook cards.
import { BlockStack, InlineGrid, Text, type InlineGridProps } from "@shopify/polaris";
import type { ReactNode } from "react";

export function FieldList({
  columns = 2,
  gap = "200",
  children,
}: {
  columns?: InlineGridProps["columns"];
  gap?: InlineGridProps["gap"];
  children: ReactNode;
}) {
  return (
    <dl style={{ margin: 0 }}>
      <InlineGrid columns={columns} gap={gap}>
        {children}
      </InlineGrid>
    </dl>
  );
}

export function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="dt" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="dd">{children}</Text>
    </BlockStack>
  );
}
