import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { useFetcher, useLoaderData } from "@remix-run/react";
import { TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { BlockStack, Box, Button, Card, FormLayout, Layout, Page, Text, TextField } from "@shopify/polaris";
import { useState } from "react";
import { z } from "zod";
import { HydratedModal } from "~/components/HydratedModal";
import { RouteError } from "~/components/RouteError";
import { useActionToast } from "~/components/use-action-toast";
import { actionAnswer, parseActionForm, type ActionAnswer } from "~/view-models/action-form.server";
import { pageStore } from "~/view-models/context.server";
import { orderHistoryHelp } from "~/view-models/customer-data.server";
import {
  purgeStoreData,
  retentionView,
  saveSettings,
  settingsInput,
  settingsView,
} from "~/view-models/settings.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  return { ...settingsView(store), orderHistoryHelp: orderHistoryHelp(store), ...retentionView() };
};

const settingsAction = z.discriminatedUnion("intent", [
  settingsInput.extend({ intent: z.literal("save") }),
  z.object({ intent: z.literal("purge"), confirm: z.literal("PURGE") }),
]);

export const action = async ({ request }: ActionFunctionArgs) => {
  const store = await pageStore(request);
  const input = await parseActionForm(request, settingsAction, "Check the highlighted fields");
  if (!input.ok) return input.answer;
  if (input.data.intent === "purge") {
    const purged = await purgeStoreData(store);
    return actionAnswer({
      ok: true,
      message: `Purged ${purged.products} products, ${purged.orders} orders and ${purged.webhookEvents} deliveries`,
    });
  }
  const { intent: _intent, ...settings } = input.data;
  await saveSettings(store, settings);
  return actionAnswer({ ok: true, message: "Settings saved" });
};

const PURGE_MODAL = "purge-store-data";

export default function Settings() {
  const settings = useLoaderData<typeof loader>();
  const save = useFetcher<ActionAnswer>();
  const purge = useFetcher<ActionAnswer>();
  const shopify = useAppBridge();
  useActionToast(save.data);
  useActionToast(purge.data);
  const [values, setValues] = useState({
    reconcileEveryHours: String(settings.reconcileEveryHours),
    orderHistoryDays: String(settings.orderHistoryDays),
    retainDaysAfterUninstall: String(settings.retainDaysAfterUninstall),
  });
  const errors = save.data?.fieldErrors ?? {};
  const field = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (value: string) => setValues((current) => ({ ...current, [name]: value })),
    error: errors[name]?.[0],
    type: "number" as const,
    autoComplete: "off",
  });
  return (
    <Page title="Settings">
      <TitleBar title="Settings" />
      <Layout>
        <Layout.AnnotatedSection title="Sync" description="How often Shop Sync reconciles, and how far back orders go.">
          <Card>
            <save.Form method="post">
              <input type="hidden" name="intent" value="save" />
              <FormLayout>
                <TextField
                  label="Reconcile every (hours)"
                  helpText="The scheduled pass that catches what webhooks missed, including deletions."
                  min={1}
                  max={720}
                  {...field("reconcileEveryHours")}
                />
                <TextField
                  label="Order history (days)"
                  helpText={settings.orderHistoryHelp}
                  min={1}
                  max={3650}
                  {...field("orderHistoryDays")}
                />
                <TextField
                  label="Keep data after uninstall (days)"
                  helpText="After the app is uninstalled, everything Shop Sync stored for this store is deleted this many days later (0: within the hour), so a reinstall before then finds it. Shopify's shop/redact request, sent 48 hours after uninstall, deletes it at that point if that is sooner."
                  min={0}
                  max={365}
                  {...field("retainDaysAfterUninstall")}
                />
                <Button submit variant="primary" loading={save.state !== "idle"}>
                  Save
                </Button>
              </FormLayout>
            </save.Form>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Privacy"
          description="What Shop Sync keeps about deliveries and customers, and for how long."
        >
          <Card>
            <BlockStack gap="200">
              <Text as="p">
                Webhook payloads are erased {settings.webhookBodyRetentionDays} days after they arrive, once applied;
                each delivery&apos;s topic, times, status and audit trail stay. Deliveries Shop Sync ignored are kept{" "}
                {settings.ignoredWebhookRetentionHours} hours.
              </Text>
              <Text as="p">
                A customer&apos;s erasure request (customers/redact) removes their name, email, phone and addresses from
                orders, payloads and data-request records. Their data requests are listed under Data requests.
              </Text>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
        <Layout.AnnotatedSection
          title="Purge data"
          description="Delete every product, order, inventory level, delivery and sync job Shop Sync stored for this store."
        >
          <Card>
            <BlockStack gap="300">
              <Text as="p">The store stays connected; the next full sync mirrors it again. This cannot be undone.</Text>
              <Box>
                <Button
                  tone="critical"
                  onClick={() => shopify.modal.show(PURGE_MODAL)}
                  loading={purge.state !== "idle"}
                >
                  Purge store data
                </Button>
              </Box>
            </BlockStack>
          </Card>
        </Layout.AnnotatedSection>
      </Layout>
      <HydratedModal id={PURGE_MODAL}>
        <Box padding="400">
          <Text as="p">
            Delete all synced products, orders, inventory, webhook deliveries and sync jobs for this store?
          </Text>
        </Box>
        <TitleBar title="Purge store data">
          <button
            variant="primary"
            tone="critical"
            onClick={() => {
              purge.submit({ intent: "purge", confirm: "PURGE" }, { method: "post" });
              shopify.modal.hide(PURGE_MODAL);
            }}
          >
            Purge
          </button>
          <button onClick={() => shopify.modal.hide(PURGE_MODAL)}>Cancel</button>
        </TitleBar>
      </HydratedModal>
    </Page>
  );
}

export function ErrorBoundary() {
  return <RouteError title="Settings" />;
}
