import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { Banner, BlockStack, Box, Layout, Page, Text } from "@shopify/polaris";
import { InfoCard } from "~/components/InfoCard";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { TableCard } from "~/components/TableCard";
import { useActionToast, type ActionResult } from "~/components/use-action-toast";
import { actionAnswer } from "~/view-models/action-form.server";
import { pageRecord, pageStore } from "~/view-models/context.server";
import { retryWebhook, webhookDetailView, webhookIdParam } from "~/view-models/webhooks.server";

export const loader = ({ request, params }: LoaderFunctionArgs) =>
  pageRecord(request, params.id, webhookIdParam, webhookDetailView, "delivery");

export const action = async ({ request, params }: ActionFunctionArgs) => {
  const store = await pageStore(request);
  const id = webhookIdParam.safeParse(params.id);
  const retried = id.success && (await retryWebhook(store, id.data));
  return retried
    ? actionAnswer({ ok: true, message: "Delivery queued for retry" })
    : actionAnswer({ ok: false, message: "No such delivery to retry" }, 404);
};

export default function WebhookDetail() {
  const { event, headers, payload, payloadErasedAt, transitions } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<ActionResult>();
  useActionToast(fetcher.data);
  return (
    <Page
      title={event.topic}
      subtitle={`Received ${event.receivedAt ?? ""}`}
      backAction={{ content: "Webhooks", url: "/app/webhooks" }}
      titleMetadata={<StatusBadge status={event.status} />}
      primaryAction={
        event.retryable
          ? {
              content: "Retry",
              loading: fetcher.state !== "idle",
              onAction: () => fetcher.submit({}, { method: "post" }),
            }
          : undefined
      }
    >
      <TitleBar title={`Delivery ${event.topic}`} />
      <Layout>
        {event.lastError ? (
          <Layout.Section>
            <Banner tone="critical" title={`Failed ${event.attempts} time${event.attempts === 1 ? "" : "s"}`}>
              <p>{event.lastError}</p>
            </Banner>
          </Layout.Section>
        ) : null}
        <Layout.Section>
          <BlockStack gap="400">
            <InfoCard title="Payload">
              {payload === null ? (
                <Text as="p" tone="subdued">
                  Payload erased {payloadErasedAt ?? ""} (retention or a customer&apos;s erasure request).
                </Text>
              ) : (
                <Box background="bg-surface-secondary" padding="300" borderRadius="200" overflowX="scroll">
                  <pre style={{ margin: 0, fontSize: "12px", whiteSpace: "pre" }} aria-label="Delivery payload">
                    {payload}
                  </pre>
                </Box>
              )}
            </InfoCard>
            <TableCard
              title="Headers"
              headings={["Header", "Value"]}
              rows={headers.map((header) => [header.name, header.value])}
              empty="No headers were stored for this delivery."
            />
          </BlockStack>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <BlockStack gap="400">
            <InfoCard title="Delivery" gap="100">
              <Text as="p">Webhook id: {event.webhookId}</Text>
              <Text as="p" breakWord>
                Resource: {event.resourceId ?? "—"}
              </Text>
              <Text as="p">API version: {event.apiVersion ?? "—"}</Text>
              <Text as="p">Attempts: {event.attempts}</Text>
              <Text as="p">Processed: {event.processedAt ?? "—"}</Text>
            </InfoCard>
            <TableCard
              title="Audit trail"
              headings={["When", "Change", "Error"]}
              rows={transitions.map((transition) => [
                transition.at ?? "",
                `${transition.fromStatus ?? "—"} → ${transition.toStatus}`,
                transition.error ?? "",
              ])}
              empty="No status changes recorded."
            />
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Delivery" backUrl="/app/webhooks" />;
}
