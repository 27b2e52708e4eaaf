// A sync job's progress as the Sync page and the dashboard show it: what it has written in the
// merchant's units, the share done and the time left, or what it is waiting for. Every text comes
// formatted from the loader (app/view-models/sync-progress.ts), so server and browser render the same.
import { BlockStack, ProgressBar, Text } from "@shopify/polaris";

export interface SyncProgressProps {
  id: string;
  status: string;
  written: string;
  percent: number | null;
  phase: string | null;
  timeLeft: string | null;
}

export function SyncProgress({ job }: { job: SyncProgressProps }) {
  const labelId = `sync-progress-${job.id}`;
  const running = job.status === "running";
  return (
    <BlockStack gap="100">
      <Text as="span" variant="bodySm" id={labelId}>
        {job.written}
        {running && job.percent !== null ? ` · ${job.percent}%` : ""}
      </Text>
      {running ? (
        <div style={{ minWidth: "8rem" }}>
          <ProgressBar
            progress={job.percent ?? 0}
            size="small"
            animated={job.percent === null}
            ariaLabelledBy={labelId}
          />
        </div>
      ) : null}
      {job.phase || job.timeLeft ? (
        <Text as="span" variant="bodySm" tone="subdued">
          {[job.phase, job.timeLeft].filter(Boolean).join(" · ")}
        </Text>
      ) : null}
    </BlockStack>
  );
}
