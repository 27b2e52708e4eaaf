import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { Text } from "@shopify/polaris";
import { z } from "zod";
import { ResourceIndexPage } from "~/components/ResourceIndexPage";
import { RowLink, type Column } from "~/components/ResourceTable";
import { ValueSelect } from "~/components/ValueSelect";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { useActionToast, type ActionResult } from "~/components/use-action-toast";
import { actionAnswer, parseActionForm } from "~/view-models/action-form.server";
import { pageStore, parseSearchParams } from "~/view-models/context.server";
import { replayDeadWebhooks, WEBHOOK_STATUSES, webhookListQuery, webhookListView } from "~/view-models/webhooks.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const query = parseSearchParams(request, webhookListQuery);
  return { ...(await webhookListView(store, query)), statuses: WEBHOOK_STATUSES };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  const store = await pageStore(request);
  const input = await parseActionForm(request, z.object({ intent: z.literal("replay-dead") }));
  if (!input.ok) return input.answer;
  const replayed = await replayDeadWebhooks(store);
  return actionAnswer({
    ok: true,
    message: replayed
      ? `Replaying ${replayed} dead ${replayed === 1 ? "delivery" : "deliveries"}`
      : "No dead deliveries to replay",
  });
};

type DeliveryRow = ReturnType<typeof useLoaderData<typeof loader>>["events"][number];

const COLUMNS: Column<DeliveryRow>[] = [
  {
    title: "Topic",
    cell: (event) => <RowLink url={`/app/webhooks/${event.id}`}>{event.topic}</RowLink>,
  },
  { title: "Status", cell: (event) => <StatusBadge status={event.status} /> },
  { title: "Received", cell: (event) => event.receivedAt },
  { title: "Lag", cell: (event) => event.lag ?? "—" },
  { title: "Attempts", numeric: true, cell: (event) => event.attempts },
  {
    title: "Last error",
    cell: (event) => (
      <Text as="span" tone={event.lastError ? "critical" : "subdued"} truncate>
        {event.lastError ?? "—"}
      </Text>
    ),
  },
];

export default function Webhooks() {
  const { events, query, total, dead, topics, statuses, pagination } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<ActionResult>();
  useActionToast(fetcher.data);
  return (
    <ResourceIndexPage
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
      resourceName={{ singular: "delivery", plural: "deliveries" }}
      rows={events}
      columns={COLUMNS}
      pagination={{ ...pagination, total }}
      filters={{
        label: "Filter deliveries",
        applied: Boolean(query.topic || query.status),
        clearUrl: "/app/webhooks",
        fields: (
          <>
            <ValueSelect label="Topic" name="topic" values={topics} initial={query.topic ?? ""} anyLabel="Any" />
            <ValueSelect label="Status" name="status" values={statuses} initial={query.status ?? ""} anyLabel="Any" />
          </>
        ),
      }}
      empty={{
        heading: "No webhook deliveries yet",
        body: "Shopify sends a delivery when a product, order or inventory level changes.",
        filteredHeading: "No deliveries match",
        filteredBody: "Change or clear the filters.",
      }}
    />
  );
}

export function ErrorBoundary() {
  return <RouteError title="Webhooks" />;
}
