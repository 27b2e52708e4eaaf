import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar } from "@shopify/app-bridge-react";
import { BlockStack, Button, Card, IndexTable, InlineStack, Layout, Page, Text } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { EmptyCard } from "~/components/EmptyCard";
import { RouteError } from "~/components/RouteError";
import { StatusBadge } from "~/components/StatusBadge";
import { useActionToast, type ActionResult } from "~/components/use-action-toast";
import { actionAnswer, parseActionForm } from "~/view-models/action-form.server";
import { pageStore } from "~/view-models/context.server";
import { exportFileName } from "~/view-models/data-request-files";
import { dataRequestIdParam, dataRequestsView, markDataRequestFulfilled } from "~/view-models/data-requests.server";

export const loader = async ({ request }: LoaderFunctionArgs) => dataRequestsView(await pageStore(request));

const fulfilAction = z.object({ intent: z.literal("fulfil"), id: dataRequestIdParam });

export const action = async ({ request }: ActionFunctionArgs) => {
  const store = await pageStore(request);
  const input = await parseActionForm(request, fulfilAction);
  if (!input.ok) return input.answer;
  return (await markDataRequestFulfilled(store, input.data.id))
    ? actionAnswer({ ok: true, message: "Marked as fulfilled" })
    : actionAnswer({ ok: false, message: "No such data request" }, 404);
};

/** Fetches the export (App Bridge adds the session token to same-origin fetches) and saves it. */
async function downloadExport(id: string): Promise<void> {
  const response = await fetch(`/app/data-requests/${encodeURIComponent(id)}/export`);
  if (!response.ok) throw new Error(`export failed (${response.status})`);
  const url = URL.createObjectURL(await response.blob());
  const link = document.createElement("a");
  link.href = url;
  link.download = exportFileName(id);
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

export default function DataRequests() {
  const { requests, pending } = useLoaderData<typeof loader>();
  const fulfil = useFetcher<ActionResult>();
  const [downloading, setDownloading] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useActionToast(fulfil.data);
  useActionToast(failed ? { ok: false, message: failed } : undefined);
  return (
    <Page title="Data requests" backAction={{ content: "Settings", url: "/app/settings" }}>
      <TitleBar title="Data requests" />
      <Layout>
        <Layout.Section>
          <BlockStack gap="400">
            <Text as="p">
              When a customer asks the store for their data, Shopify sends Shop Sync a customers/data_request. Download
              the export — every record Shop Sync keeps about that customer, found by customer id and by email — send it
              on to the customer, then mark the request fulfilled.{" "}
              {pending === 1 ? "1 request is pending." : `${pending} requests are pending.`}
            </Text>
            {requests.length === 0 ? (
              <EmptyCard heading="No data requests">
                Customer data requests for this store appear here when Shopify sends them.
              </EmptyCard>
            ) : (
              <Card padding="0">
                <IndexTable
                  resourceName={{ singular: "data request", plural: "data requests" }}
                  itemCount={requests.length}
                  selectable={false}
                  headings={[
                    { title: "Customer" },
                    { title: "Requested" },
                    { title: "Status" },
                    { title: "Fulfilled" },
                    { title: "Actions" },
                  ]}
                >
                  {requests.map((request, index) => (
                    <IndexTable.Row id={request.id} key={request.id} position={index}>
                      <IndexTable.Cell>
                        <BlockStack gap="050">
                          <Text as="span">{request.email ?? "(erased)"}</Text>
                          <Text as="span" tone="subdued" variant="bodySm">
                            {request.customerId ?? "—"}
                          </Text>
                        </BlockStack>
                      </IndexTable.Cell>
                      <IndexTable.Cell>{request.requestedAt}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <StatusBadge status={request.status} />
                      </IndexTable.Cell>
                      <IndexTable.Cell>{request.fulfilledAt ?? "—"}</IndexTable.Cell>
                      <IndexTable.Cell>
                        <InlineStack gap="200">
                          <Button
                            loading={downloading === request.id}
                            accessibilityLabel={`Download export for ${request.email ?? request.id}`}
                            onClick={() => {
                              setDownloading(request.id);
                              setFailed(null);
                              downloadExport(request.id)
                                .catch((error: unknown) => setFailed(String(error)))
                                .finally(() => setDownloading(null));
                            }}
                          >
                            Download export
                          </Button>
                          {request.status === "pending" ? (
                            <Button
                              variant="primary"
                              loading={fulfil.state !== "idle" && fulfil.formData?.get("id") === request.id}
                              onClick={() => fulfil.submit({ intent: "fulfil", id: request.id }, { method: "post" })}
                            >
                              Mark fulfilled
                            </Button>
                          ) : null}
                        </InlineStack>
                      </IndexTable.Cell>
                    </IndexTable.Row>
                  ))}
                </IndexTable>
              </Card>
            )}
          </BlockStack>
        </Layout.Section>
      </Layout>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Data requests" />;
}
