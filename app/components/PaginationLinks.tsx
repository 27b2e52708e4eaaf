// Previous/next page links that keep the current filters (the page number is a query parameter).
import { useLocation } from "@remix-run/react";
import { InlineStack, Pagination, Text } from "@shopify/polaris";

export function PaginationLinks({
  page,
  hasPrevious,
  hasNext,
  total,
}: {
  page: number;
  hasPrevious: boolean;
  hasNext: boolean;
  total: number;
}) {
  const location = useLocation();
  const urlFor = (target: number) => {
    const params = new URLSearchParams(location.search);
    params.set("page", String(target));
    return `${location.pathname}?${params.toString()}`;
  };
  return (
    <InlineStack align="space-between" blockAlign="center" gap="200">
      <Text as="p" tone="subdued">
        Page {page} · {total} in total
      </Text>
      <Pagination
        hasPrevious={hasPrevious}
        previousURL={hasPrevious ? urlFor(page - 1) : undefined}
        hasNext={hasNext}
        nextURL={hasNext ? urlFor(page + 1) : undefined}
        accessibilityLabels={{ previous: "Previous page", next: "Next page" }}
      />
    </InlineStack>
  );
}
