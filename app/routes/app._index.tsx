import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { CustomerDataNotice } from "~/components/CustomerDataNotice";
import { EMPTY_ILLUSTRATION } from "~/components/EmptyCard";
import { Field, FieldList } from "~/components/FieldList";
import { InfoCard } from "~/components/InfoCard";
import { OrdersRevenueChart } from "~/components/OrdersRevenueChart";
import { RouteError } from "~/components/RouteError";
import { Stat } from "~/components/Stat";
import { StatusBadge } from "~/components/StatusBadge";
import { SyncProgress } from "~/components/SyncProgress";
import { useRevalidateWhile } from "~/components/use-revalidate-while";
import { pageStoreOrNull } from "~/view-models/context.server";
import { customerDataNotice } from "~/view-models/customer-data.server";
import { dashboardView } from "~/view-models/dashboard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStoreOrNull(request);
  // No store yet: the install is still recording the store connection (the empty state below).
  return store ? { ...(await dashboardView(store)), customerData: await customerDataNotice(store) } : { store: null };
};

export default function Dashboard() {
  const view = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
  // While a sync is queued or running, the dashboard follows it on its own.
  useRevalidateWhile("sync" in view && view.sync.syncing);
  if (!("stats" in view)) {
    return (
      <Page title="Shop Sync">
        <TitleBar title="Shop Sync" />
        <Card>
          <EmptyState heading="Connecting your store" image={EMPTY_ILLUSTRATION}>
            <p>Shop Sync is recording your store connection. Reload in a moment.</p>
          </EmptyState>
        </Card>
      </Page>
    );
  }
  const { store, stats, chart, sync, webhooks } = view;
  const hasOrders = chart.days.some((day) => day.orders > 0);
  return (
    <Page title="Dashboard">
      <TitleBar title="Shop Sync" />
      <BlockStack gap="400">
        {loading ? <ProgressBar progress={50} size="small" animated /> : null}
        <CustomerDataNotice notice={view.customerData} />
        <Layout>
          <Layout.Section>
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Store connection
                  </Text>
                  <StatusBadge status={store.status} />
                </InlineStack>
                <FieldList columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
                  <Field label="Store">{store.name}</Field>
                  <Field label="Domain">{store.domain}</Field>
                  <Field label="Plan">{store.planName ?? "—"}</Field>
                  <Field label="Currency">{store.currencyCode ?? "—"}</Field>
                  <Field label="Installed since">{store.installedAtLabel ?? "—"}</Field>
                  <Field label="Granted scopes">
                    {store.grantedScopes.length ? (
                      <InlineStack gap="100" wrap>
                        {store.grantedScopes.map((scope) => (
                          <Badge key={scope}>{scope}</Badge>
                        ))}
                      </InlineStack>
                    ) : (
                      "—"
                    )}
                  </Field>
                </FieldList>
              </BlockStack>
            </Card>
          </Layout.Section>

          <Layout.Section>
            <BlockStack gap="300">
              <Text as="h2" variant="headingMd">
                Catalogue and sales
              </Text>
              {!stats.hasCurrency ? (
                <Banner tone="info">
                  <p>The store's currency is not recorded yet; amounts are shown in USD.</p>
                </Banner>
              ) : null}
              <InlineGrid columns={{ xs: 2, md: 4 }} gap="300">
                <Stat label="Products" value={stats.products} />
                <Stat label="Variants" value={stats.variants} />
                <Stat label="Locations" value={stats.locations} />
                <Stat label="Units in stock" value={stats.unitsInStock} />
                <Stat label={`Orders, last ${stats.windowDays} days`} value={stats.orders} />
                <Stat label={`Revenue, last ${stats.windowDays} days`} value={stats.revenue} />
                <Stat
                  label="Average order value"
                  value={stats.averageOrderValue ?? "—"}
                  help="Excludes test and cancelled orders"
                />
              </InlineGrid>
            </BlockStack>
          </Layout.Section>

          <Layout.Section>
            <InfoCard title="Orders and revenue per day" gap="300">
              {hasOrders ? (
                <OrdersRevenueChart chart={chart} title={`Orders and revenue per day, last ${stats.windowDays} days`} />
              ) : (
                <Text as="p" tone="subdued">
                  No orders in the last {stats.windowDays} days yet.
                </Text>
              )}
            </InfoCard>
          </Layout.Section>

          <Layout.Section variant="oneHalf">
            <InfoCard title="Sync" action={{ content: "Manage syncs", url: "/app/sync" }} gap="300">
              <FieldList>
                <Field label="Last full sync">{sync.lastFullSyncAt ?? "Never"}</Field>
                <Field label="Last incremental sync">{sync.lastIncrementalAt ?? "Never"}</Field>
              </FieldList>
              {sync.running ? (
                <BlockStack gap="100">
                  <Text as="p">
                    Running: {sync.running.kind} sync of {sync.running.resource}
                  </Text>
                  <SyncProgress job={sync.running} />
                </BlockStack>
              ) : (
                <Text as="p" tone="subdued">
                  {sync.syncing ? "A sync is waiting for its turn." : "No sync is running."}
                </Text>
              )}
            </InfoCard>
          </Layout.Section>

          <Layout.Section variant="oneHalf">
            <InfoCard title="Webhooks" action={{ content: "View deliveries", url: "/app/webhooks" }} gap="300">
              <FieldList>
                <Field label="Lag, median">{webhooks.medianLag ?? "—"}</Field>
                <Field label="Lag, 95th percentile">{webhooks.p95Lag ?? "—"}</Field>
                <Field label="Waiting">{String(webhooks.backlog)}</Field>
                <Field label="Oldest waiting">{webhooks.oldestWaiting ?? "—"}</Field>
              </FieldList>
              {webhooks.dead > 0 ? (
                <Banner
                  tone="critical"
                  title={`${webhooks.dead} dead ${webhooks.dead === 1 ? "delivery" : "deliveries"}`}
                  action={{ content: "Review and replay", url: "/app/webhooks?status=dead" }}
                >
                  <p>These deliveries failed every attempt and were not applied.</p>
                </Banner>
              ) : (
                <Text as="p" tone="subdued">
                  No dead deliveries. Lag is measured over the last {webhooks.sampled} processed deliveries.
                </Text>
              )}
            </InfoCard>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Dashboard" />;
}
