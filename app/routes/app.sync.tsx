import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, InlineStack, Layout, Link, Page, Text } from "@shopify/polaris";
import { z } from "zod";
import { EmptyCard } from "~/components/EmptyCard";
import { PaginationLinks } from "~/components/PaginationLinks";
import { ResourceTable, type Column } from "~/components/ResourceTable";
import { InfoCard } from "~/components/InfoCard";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { SyncProgress } from "~/components/SyncProgress";
import { TableCard } from "~/components/TableCard";
import { useActionToast, type ActionResult } from "~/components/use-action-toast";
import { useRevalidateWhile } from "~/components/use-revalidate-while";
import { ValueSelect, type ValueSelectField } from "~/components/ValueSelect";
import { actionAnswer, parseActionForm } from "~/view-models/action-form.server";
import { pageStore, parseSearchParams } from "~/view-models/context.server";
import { pageParam } from "~/view-models/search.server";
import { SYNC_KINDS, SYNC_RESOURCES, syncKind, syncResource } from "~/view-models/sync-options";
import { cancelSync, startSync, syncView } from "~/view-models/sync.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const { page } = parseSearchParams(request, z.object({ page: pageParam }));
  return syncView(store, page);
};

const syncAction = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("start"), kind: syncKind, resource: syncResource }),
  z.object({ intent: z.literal("cancel"), jobId: z.string().min(1).max(64) }),
]);

const CANCEL_OUTCOME = {
  cancelled: { status: 200, ok: true, message: "Sync cancelled" },
  finished: { status: 409, ok: false, message: "That sync has already finished" },
  not_found: { status: 404, ok: false, message: "No such sync job" },
} as const;

export const action = async ({ request }: ActionFunctionArgs) => {
  const store = await pageStore(request);
  const input = await parseActionForm(request, syncAction);
  if (!input.ok) return input.answer;
  if (input.data.intent === "start") {
    const { kind, resource } = input.data;
    await startSync(store, { kind, resource });
    return actionAnswer({
      ok: true,
      message: `${kind === "full" ? "Full" : "Incremental"} sync of ${resource} started`,
    });
  }
  const outcome = CANCEL_OUTCOME[await cancelSync(store, input.data.jobId)];
  return actionAnswer({ ok: outcome.ok, message: outcome.message }, outcome.status);
};

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const START_SYNC_FIELDS: ValueSelectField[] = [
  { label: "Kind", name: "kind", values: SYNC_KINDS, initial: "incremental" },
  { label: "Resource", name: "resource", values: SYNC_RESOURCES, initial: "products" },
];

type JobRow = ReturnType<typeof useLoaderData<typeof loader>>["jobs"][number];

function CancelButton({ job }: { job: JobRow }) {
  const fetcher = useFetcher<ActionResult>();
  useActionToast(fetcher.data);
  if (!job.cancellable) return null;
  return (
    <fetcher.Form method="post">
      <input type="hidden" name="intent" value="cancel" />
      <input type="hidden" name="jobId" value={job.id} />
      <Button
        submit
        tone="critical"
        variant="plain"
        loading={fetcher.state !== "idle"}
        accessibilityLabel={`Cancel ${job.kind} sync of ${job.resource}`}
      >
        Cancel
      </Button>
    </fetcher.Form>
  );
}

const JOB_COLUMNS: Column<JobRow>[] = [
  {
    title: "Job",
    cell: (job) => (
      <BlockStack gap="050">
        <Text as="span" fontWeight="semibold">
          {capitalize(job.kind)} · {job.resource}
        </Text>
        <Text as="span" variant="bodySm" tone="subdued">
          {job.createdAtLabel} · {job.trigger}
        </Text>
      </BlockStack>
    ),
  },
  { title: "Status", cell: (job) => <StatusBadge status={job.status} /> },
  { title: "Progress", cell: (job) => <SyncProgress job={job} /> },
  { title: "Cost", numeric: true, cell: (job) => job.costSpent },
  {
    title: "Duration",
    cell: (job) => (
      <BlockStack gap="050">
        <Text as="span">{job.duration ?? "—"}</Text>
        {job.waiting ? (
          <Text as="span" variant="bodySm" tone="subdued">
            {job.waiting}
          </Text>
        ) : null}
      </BlockStack>
    ),
  },
  {
    title: "Error",
    cell: (job) => (
      <Text as="span" tone={job.error ? "critical" : "subdued"} breakWord>
        {job.error ?? "—"}
      </Text>
    ),
  },
  { title: "Action", cell: (job) => <CancelButton job={job} /> },
];

export default function Sync() {
  const { jobs, pagination, syncs, schedule, syncing } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<ActionResult>();
  useActionToast(fetcher.data);
  // While a sync is queued or running, the page reloads its data on its own (and stops after).
  useRevalidateWhile(syncing);
  return (
    <Page title="Sync">
      <TitleBar title="Sync" />
      <Layout>
        <Layout.Section>
          <Card>
            <fetcher.Form method="post" aria-label="Start a sync">
              <input type="hidden" name="intent" value="start" />
              <BlockStack gap="300">
                <Text as="h2" variant="headingMd">
                  Start a sync
                </Text>
                <InlineStack gap="300" blockAlign="end" wrap>
                  {START_SYNC_FIELDS.map((field) => (
                    <ValueSelect key={field.name} {...field} format={capitalize} />
                  ))}
                  <Button submit variant="primary" loading={fetcher.state !== "idle"}>
                    Start sync
                  </Button>
                </InlineStack>
                <Text as="p" tone="subdued">
                  A full sync reads everything through a bulk operation; an incremental one reads what changed since the
                  last sync.
                </Text>
              </BlockStack>
            </fetcher.Form>
          </Card>
        </Layout.Section>
        <Layout.Section variant="oneThird">
          <InfoCard title="Schedule">
            <Text as="p">
              Reconciliation runs every {schedule.reconcileEveryHours} hour
              {schedule.reconcileEveryHours === 1 ? "" : "s"}.
            </Text>
            <Link url="/app/settings">Change in settings</Link>
          </InfoCard>
        </Layout.Section>
        <Layout.Section>
          <TableCard
            title="By resource"
            headings={["Resource", "Last full sync", "Last incremental sync", "Last reconciliation"]}
            rows={syncs.resources.map((row) => [
              capitalize(row.resource),
              row.lastFullSyncAt ?? "Never",
              row.lastIncrementalAt ?? "Never",
              row.lastReconciledAt ?? "Never",
            ])}
            empty="No resources."
          />
        </Layout.Section>
        <Layout.Section>
          {jobs.length === 0 ? (
            <EmptyCard heading="No sync jobs yet">
              <p>Start a full sync above to mirror your store.</p>
            </EmptyCard>
          ) : (
            <Card padding="0">
              <ResourceTable
                resourceName={{ singular: "sync job", plural: "sync jobs" }}
                rows={jobs}
                columns={JOB_COLUMNS}
              />
              <Box padding="300">
                <PaginationLinks {...pagination} />
              </Box>
            </Card>
          )}
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Sync" />;
}
