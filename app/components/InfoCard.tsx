// A card headed by its title (an h2), optionally with a link at the right of the heading, and its
// content below: the dashboard's sections and the detail pages' side cards.
import { BlockStack, Button, Card, InlineStack, Text } from "@shopify/polaris";
import type { ReactNode } from "react";

export function InfoCard({
  title,
  action,
  gap = "200",
  children,
}: {
  title: string;
  action?: { content: string; url: string };
  gap?: "100" | "200" | "300";
  children: ReactNode;
}) {
  const heading = (
    <Text as="h2" variant="headingMd">
      {title}
    </Text>
  );
  return (
    <Card>
      <BlockStack gap={gap}>
        {action ? (
          <InlineStack align="space-between" blockAlign="center">
            {heading}
            <Button url={action.url} variant="plain">
              {action.content}
            </Button>
          </InlineStack>
        ) : (
          heading
        )}
        {children}
      </BlockStack>
    </Card>
  );
}
