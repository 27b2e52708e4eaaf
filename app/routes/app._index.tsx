import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Card, EmptyState, InlineGrid, Layout, Page, Text } from "@shopify/polaris";
import { authenticate } from "~/shopify.server";
import { findStoreByShop } from "~/stores/store-connection.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const { session } = await authenticate.admin(request);
  const store = await findStoreByShop(session.shop);
  return {
    store: store && {
      name: store.name,
      shop: store.shop,
      primaryDomain: store.primaryDomain,
      planName: store.planName,
      currencyCode: store.currencyCode,
      grantedScopes: store.grantedScopes.split(",").filter(Boolean),
      installedAt: store.installedAt.toISOString(),
    },
  };
};

export default function Dashboard() {
  const { store } = useLoaderData<typeof loader>();
  return (
    <Page title="Shop Sync">
      <TitleBar title="Shop Sync" />
      <Layout>
        <Layout.Section>
          {store ? (
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Store connection
                </Text>
                <InlineGrid columns={{ xs: 1, md: 2 }} gap="200">
                  <Text as="p">Store: {store.name ?? store.shop}</Text>
                  <Text as="p">Domain: {store.primaryDomain ?? store.shop}</Text>
                  <Text as="p">Plan: {store.planName ?? "—"}</Text>
                  <Text as="p">Currency: {store.currencyCode ?? "—"}</Text>
                  <Text as="p">Scopes: {store.grantedScopes.join(", ") || "—"}</Text>
                  <Text as="p">Installed: {new Date(store.installedAt).toLocaleString()}</Text>
                </InlineGrid>
              </BlockStack>
            </Card>
          ) : (
            <Card>
              <EmptyState heading="Connecting your store" image="">
                <p>Shop Sync is recording your store connection. Reload in a moment.</p>
              </EmptyState>
            </Card>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}
