import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, IndexTable, InlineStack, Link, Page, Select, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { EmptyCard } from "~/components/EmptyCard";
import { PaginationLinks } from "~/components/PaginationLinks";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { useActionToast, type ActionResult } from "~/components/use-action-toast";
import { pageStore, parseSearchParams } from "~/ui/context.server";
import { replayDeadWebhooks, WEBHOOK_STATUSES, webhookListQuery, webhookListView } from "~/ui/webhooks.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const query = parseSearchParams(request, webhookListQuery);
  return { ...(await webhookListView(store, query)), statuses: WEBHOOK_STATUSES };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const store = await pageStore(request);
  const input = z.object({ intent: z.literal("replay-dead") }).safeParse(Object.fromEntries(await request.formData()));
  if (!input.success)
    return Response.json({ ok: false, message: "Invalid request" } satisfies ActionResult, { status: 400 });
  const replayed = await replayDeadWebhooks(store);
  return Response.json({
    ok: true,
    message: replayed
      ? `Replaying ${replayed} dead ${replayed === 1 ? "delivery" : "deliveries"}`
      : "No dead deliveries to replay",
  } satisfies ActionResult);
};

export default function Webhooks() {
  const { events, query, total, dead, topics, statuses, pagination } = useLoaderData<typeof loader>();
  const navigation = useNavigation();
  const fetcher = useFetcher<ActionResult>();
  useActionToast(fetcher.data);
  const [topic, setTopic] = useState(query.topic ?? "");
  const [status, setStatus] = useState<string>(query.status ?? "");
  const filtered = Boolean(query.topic || query.status);
  return (
    <Page
      title="Webhooks"
      secondaryActions={
        dead > 0
          ? [
              {
                content: `Replay ${dead} dead`,
                loading: fetcher.state !== "idle",
                onAction: () => fetcher.submit({ intent: "replay-dead" }, { method: "post" }),
              },
            ]
          : undefined
      }
    >
      <TitleBar title="Webhooks" />
      <BlockStack gap="400">
        <Card>
          <Form method="get" aria-label="Filter deliveries">
            <InlineStack gap="300" blockAlign="end" wrap>
              <Select
                label="Topic"
                name="topic"
                options={[{ label: "Any", value: "" }, ...topics.map((value) => ({ label: value, value }))]}
                value={topic}
                onChange={setTopic}
              />
              <Select
                label="Status"
                name="status"
                options={[{ label: "Any", value: "" }, ...statuses.map((value) => ({ label: value, value }))]}
                value={status}
                onChange={setStatus}
              />
              <Button submit loading={navigation.state === "loading"}>
                Apply
              </Button>
              {filtered ? (
                <Button url="/app/webhooks" variant="plain">
                  Clear
                </Button>
              ) : null}
            </InlineStack>
          </Form>
        </Card>
        {total === 0 ? (
          <EmptyCard heading={filtered ? "No deliveries match" : "No webhook deliveries yet"}>
            <p>
              {filtered
                ? "Change or clear the filters."
                : "Shopify sends a delivery when a product, order or inventory level changes."}
            </p>
          </EmptyCard>
        ) : (
          <Card padding="0">
            <IndexTable
              resourceName={{ singular: "delivery", plural: "deliveries" }}
              itemCount={events.length}
              selectable={false}
              loading={navigation.state === "loading"}
              headings={[
                { title: "Topic" },
                { title: "Status" },
                { title: "Received" },
                { title: "Lag" },
                { title: "Attempts", alignment: "end" },
                { title: "Last error" },
              ]}
            >
              {events.map((event, index) => (
                <IndexTable.Row id={event.id} key={event.id} position={index}>
                  <IndexTable.Cell>
                    <Link url={`/app/webhooks/${event.id}`} removeUnderline>
                      <Text as="span" fontWeight="semibold">
                        {event.topic}
                      </Text>
                    </Link>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <StatusBadge status={event.status} />
                  </IndexTable.Cell>
                  <IndexTable.Cell>{event.receivedAt}</IndexTable.Cell>
                  <IndexTable.Cell>{event.lag ?? "—"}</IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" alignment="end" numeric>
                      {event.attempts}
                    </Text>
                  </IndexTable.Cell>
                  <IndexTable.Cell>
                    <Text as="span" tone={event.lastError ? "critical" : "subdued"} truncate>
                      {event.lastError ?? "—"}
                    </Text>
                  </IndexTable.Cell>
                </IndexTable.Row>
              ))}
            </IndexTable>
            <div style={{ padding: "var(--p-space-300)" }}>
              <PaginationLinks {...pagination} total={total} />
            </div>
          </Card>
        )}
      </BlockStack>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Webhooks" />;
}
