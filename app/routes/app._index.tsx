import type { LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  Badge,
  Banner,
  BlockStack,
  Button,
  Card,
  EmptyState,
  InlineGrid,
  InlineStack,
  Layout,
  Page,
  ProgressBar,
  Text,
} from "@shopify/polaris";
import { BarChart } from "~/components/BarChart";
import { CustomerDataNotice } from "~/components/CustomerDataNotice";
import { EMPTY_ILLUSTRATION } from "~/components/EmptyCard";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { pageStoreOrNull } from "~/ui/context.server";
import { customerDataNotice } from "~/ui/customer-data.server";
import { dashboardView } from "~/ui/dashboard.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStoreOrNull(request);
  // No store yet: the install is still recording the store connection (the empty state below).
  return store ? { ...(await dashboardView(store)), customerData: await customerDataNotice(store) } : { store: null };
};

function Stat({ label, value, help }: { label: string; value: string; help?: string }) {
  return (
    <Card>
      <BlockStack gap="100">
        <Text as="h3" variant="bodySm" tone="subdued">
          {label}
        </Text>
        <Text as="p" variant="headingLg">
          {value}
        </Text>
        {help ? (
          <Text as="p" variant="bodySm" tone="subdued">
            {help}
          </Text>
        ) : null}
      </BlockStack>
    </Card>
  );
}

function Field({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <BlockStack gap="050">
      <Text as="dt" variant="bodySm" tone="subdued">
        {label}
      </Text>
      <Text as="dd">{children}</Text>
    </BlockStack>
  );
}

export default function Dashboard() {
  const view = useLoaderData<typeof loader>();
  const loading = useNavigation().state === "loading";
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
  const hasOrders = chart.some((day) => day.orders > 0);
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
                <dl style={{ margin: 0 }}>
                  <InlineGrid columns={{ xs: 1, sm: 2, md: 3 }} gap="300">
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
                  </InlineGrid>
                </dl>
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
            <Card>
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Orders and revenue per day
                </Text>
                {hasOrders ? (
                  <InlineGrid columns={{ xs: 1, md: 2 }} gap="400">
                    <BarChart
                      title="Orders per day"
                      description={`Orders per day over the last ${stats.windowDays} days`}
                      data={chart.map((day) => ({ key: day.day, value: day.orders, valueLabel: String(day.orders) }))}
                    />
                    <BarChart
                      title="Revenue per day"
                      description={`Revenue per day over the last ${stats.windowDays} days`}
                      color="var(--p-color-bg-fill-success)"
                      data={chart.map((day) => ({ key: day.day, value: day.revenue, valueLabel: day.revenueLabel }))}
                    />
                  </InlineGrid>
                ) : (
                  <Text as="p" tone="subdued">
                    No orders in the last {stats.windowDays} days yet.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>

          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Sync
                  </Text>
                  <Button url="/app/sync" variant="plain">
                    Manage syncs
                  </Button>
                </InlineStack>
                <dl style={{ margin: 0 }}>
                  <InlineGrid columns={2} gap="200">
                    <Field label="Last full sync">{sync.lastFullSyncAt ?? "Never"}</Field>
                    <Field label="Last incremental sync">{sync.lastIncrementalAt ?? "Never"}</Field>
                  </InlineGrid>
                </dl>
                {sync.running ? (
                  <BlockStack gap="100">
                    <Text as="p" id="running-sync-label">
                      Running: {sync.running.kind} sync of {sync.running.resource} ({sync.running.doneCount}
                      {sync.running.totalCount !== null ? ` of ${sync.running.totalCount}` : ""})
                    </Text>
                    <ProgressBar
                      progress={sync.running.progress ?? 0}
                      animated={sync.running.progress === null}
                      ariaLabelledBy="running-sync-label"
                    />
                  </BlockStack>
                ) : (
                  <Text as="p" tone="subdued">
                    No sync is running.
                  </Text>
                )}
              </BlockStack>
            </Card>
          </Layout.Section>

          <Layout.Section variant="oneHalf">
            <Card>
              <BlockStack gap="300">
                <InlineStack align="space-between" blockAlign="center">
                  <Text as="h2" variant="headingMd">
                    Webhooks
                  </Text>
                  <Button url="/app/webhooks" variant="plain">
                    View deliveries
                  </Button>
                </InlineStack>
                <dl style={{ margin: 0 }}>
                  <InlineGrid columns={2} gap="200">
                    <Field label="Lag, median">{webhooks.medianLag ?? "—"}</Field>
                    <Field label="Lag, 95th percentile">{webhooks.p95Lag ?? "—"}</Field>
                    <Field label="Waiting">{String(webhooks.backlog)}</Field>
                    <Field label="Oldest waiting">{webhooks.oldestWaiting ?? "—"}</Field>
                  </InlineGrid>
                </dl>
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
              </BlockStack>
            </Card>
          </Layout.Section>
        </Layout>
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Dashboard" />;
}
