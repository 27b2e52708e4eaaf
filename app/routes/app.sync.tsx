import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData, useNavigation } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import {
  BlockStack,
  Button,
  Card,
  DataTable,
  IndexTable,
  InlineStack,
  Layout,
  Link,
  Page,
  ProgressBar,
  Select,
  Text,
} from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { EmptyCard } from "~/components/EmptyCard";
import { PaginationLinks } from "~/components/PaginationLinks";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { useActionToast, type ActionResult } from "~/components/use-action-toast";
import { pageStore, parseSearchParams } from "~/ui/context.server";
import { pageParam } from "~/ui/search.server";
import { SYNC_KINDS, SYNC_RESOURCES, syncKind, syncResource } from "~/ui/sync-options";
import { cancelSync, startSync, syncView } from "~/ui/sync.server";

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
  const input = syncAction.safeParse(Object.fromEntries(await request.formData()));
  if (!input.success) {
    return Response.json({ ok: false, message: "Invalid request" } satisfies ActionResult, { status: 400 });
  }
  if (input.data.intent === "start") {
    const { kind, resource } = input.data;
    await startSync(store, { kind, resource });
    return Response.json({
      ok: true,
      message: `${kind === "full" ? "Full" : "Incremental"} sync of ${resource} started`,
    });
  }
  const outcome = CANCEL_OUTCOME[await cancelSync(store, input.data.jobId)];
  return Response.json({ ok: outcome.ok, message: outcome.message } satisfies ActionResult, {
    status: outcome.status,
  });
};

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export default function Sync() {
  const { jobs, pagination, syncs, schedule } = useLoaderData<typeof loader>();
  const fetcher = useFetcher<ActionResult>();
  useActionToast(fetcher.data);
  const loading = useNavigation().state === "loading";
  const [kind, setKind] = useState<string>("incremental");
  const [resource, setResource] = useState<string>("products");
  const busy = fetcher.state !== "idle";
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
                  <Select
                    label="Kind"
                    name="kind"
                    options={SYNC_KINDS.map((value) => ({ label: capitalize(value), value }))}
                    value={kind}
                    onChange={setKind}
                  />
                  <Select
                    label="Resource"
                    name="resource"
                    options={SYNC_RESOURCES.map((value) => ({ label: capitalize(value), value }))}
                    value={resource}
                    onChange={setResource}
                  />
                  <Button submit variant="primary" loading={busy && fetcher.formData?.get("intent") === "start"}>
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
          <Card>
            <BlockStack gap="200">
              <Text as="h2" variant="headingMd">
                Schedule
              </Text>
              <Text as="p">
                Reconciliation runs every {schedule.reconcileEveryHours} hour
                {schedule.reconcileEveryHours === 1 ? "" : "s"}.
              </Text>
              <Link url="/app/settings">Change in settings</Link>
            </BlockStack>
          </Card>
        </Layout.Section>
        <Layout.Section>
          <Card padding="0">
            <div style={{ padding: "var(--p-space-400)" }}>
              <Text as="h2" variant="headingMd">
                By resource
              </Text>
            </div>
            <DataTable
              columnContentTypes={["text", "text", "text", "text"]}
              headings={["Resource", "Last full sync", "Last incremental sync", "Last reconciliation"]}
              rows={syncs.resources.map((row) => [
                capitalize(row.resource),
                row.lastFullSyncAt ?? "Never",
                row.lastIncrementalAt ?? "Never",
                row.lastReconciledAt ?? "Never",
              ])}
            />
          </Card>
        </Layout.Section>
        <Layout.Section>
          {jobs.length === 0 ? (
            <EmptyCard heading="No sync jobs yet">
              <p>Start a full sync above to mirror your store.</p>
            </EmptyCard>
          ) : (
            <Card padding="0">
              <IndexTable
                resourceName={{ singular: "sync job", plural: "sync jobs" }}
                itemCount={jobs.length}
                selectable={false}
                loading={loading}
                headings={[
                  { title: "Job" },
                  { title: "Status" },
                  { title: "Progress" },
                  { title: "Cost", alignment: "end" },
                  { title: "Duration" },
                  { title: "Error" },
                  { title: "Action" },
                ]}
              >
                {jobs.map((job, index) => (
                  <IndexTable.Row id={job.id} key={job.id} position={index}>
                    <IndexTable.Cell>
                      <BlockStack gap="050">
                        <Text as="span" fontWeight="semibold">
                          {capitalize(job.kind)} · {job.resource}
                        </Text>
                        <Text as="span" variant="bodySm" tone="subdued">
                          {job.createdAtLabel} · {job.trigger}
                        </Text>
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <StatusBadge status={job.status} />
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <BlockStack gap="100">
                        <Text as="span" variant="bodySm" id={`progress-${job.id}`}>
                          {job.doneCount}
                          {job.totalCount !== null ? ` of ${job.totalCount}` : ""}
                        </Text>
                        {job.status === "running" ? (
                          <div style={{ minWidth: "6rem" }}>
                            <ProgressBar
                              progress={job.progress ?? 0}
                              size="small"
                              animated={job.progress === null}
                              ariaLabelledBy={`progress-${job.id}`}
                            />
                          </div>
                        ) : null}
                      </BlockStack>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" alignment="end" numeric>
                        {job.costSpent}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>{job.duration ?? "—"}</IndexTable.Cell>
                    <IndexTable.Cell>
                      <Text as="span" tone={job.error ? "critical" : "subdued"} breakWord>
                        {job.error ?? "—"}
                      </Text>
                    </IndexTable.Cell>
                    <IndexTable.Cell>
                      {job.cancellable ? (
                        <fetcher.Form method="post">
                          <input type="hidden" name="intent" value="cancel" />
                          <input type="hidden" name="jobId" value={job.id} />
                          <Button
                            submit
                            tone="critical"
                            variant="plain"
                            accessibilityLabel={`Cancel ${job.kind} sync of ${job.resource}`}
                          >
                            Cancel
                          </Button>
                        </fetcher.Form>
                      ) : null}
                    </IndexTable.Cell>
                  </IndexTable.Row>
                ))}
              </IndexTable>
              <div style={{ padding: "var(--p-space-300)" }}>
                <PaginationLinks {...pagination} />
              </div>
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
