// The dashboard's notice about customer data (app/view-models/customer-data.server.ts writes the words).
import { Banner, BlockStack, Text } from "@shopify/polaris";
import type { CustomerDataNotice as Notice } from "~/view-models/customer-data.server";

export function CustomerDataNotice({ notice }: { notice: Notice | null }) {
  if (!notice) return null;
  if (notice.kind === "ordersOff") {
    return (
      <Banner tone="info" title={notice.title}>
        <Text as="p">{notice.why}</Text>
      </Banner>
    );
  }
  if (notice.kind === "ordersDenied") {
    return (
      <Banner tone="critical" title={notice.title}>
        <BlockStack gap="100">
          <Text as="p">{notice.why}</Text>
          <Text as="p">{notice.action}</Text>
        </BlockStack>
      </Banner>
    );
  }
  return (
    <Banner tone="warning" title={notice.title}>
      <BlockStack gap="100">
        <Text as="p" fontWeight="semibold">
          {notice.missing}
        </Text>
        <Text as="p">{notice.why}</Text>
        <Text as="p">{notice.action}</Text>
      </BlockStack>
    </Banner>
  );
}
