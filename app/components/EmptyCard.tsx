// The empty state of a list or a section: a heading, a sentence, and optionally one action.
import { Card, EmptyState } from "@shopify/polaris";
import type { ReactNode } from "react";

const EMPTY_IMAGE = "https://cdn.shopify.com/s/files/1/0262/4071/2726/files/emptystate-files.png";

export function EmptyCard({
  heading,
  children,
  action,
}: {
  heading: string;
  children: ReactNode;
  action?: { content: string; url: string };
}) {
  return (
    <Card>
      <EmptyState heading={heading} image={EMPTY_IMAGE} action={action}>
        {children}
      </EmptyState>
    </Card>
  );
}
