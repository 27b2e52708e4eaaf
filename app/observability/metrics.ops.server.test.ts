// The series ops/prometheus/alerts.yml and ops/grafana/shop-sync.json are written against exist in
// /metrics, and the ones added for them move when their event happens: the oldest ready job's age,
// sync jobs finishing, calls refused by an open circuit. On the test's real database.
import { readFileSync } from "node:fs";
import { HttpInternalError } from "@shopify/shopify-api";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { AdminGraphqlClient, CircuitOpenError, type LibraryAdminContext } from "~/admin-api/client.server";
import { databaseProvider, db } from "~/db.server";
import { createSyncJob, failSyncJob, finishSyncJob, startSyncJob } from "~/sync/jobs.server";
import { enqueue, migrateQueue } from "~/sync/queue/queue.server";
import { metrics, scrapeMetrics } from "./metrics.server";

const opsFile = (name: string) => readFileSync(new URL(`../../ops/${name}`, import.meta.url), "utf8");

/** The value of one sample in the exposition text, or undefined. */
function sample(text: string, name: string, labels = ""): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(labels ? `${name}{${labels}} ` : `${name} `));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

beforeAll(async () => {
  await migrateQueue();
});

afterEach(async () => {
  if (databaseProvider() === "postgresql") await db.$executeRawUnsafe("DELETE FROM graphile_worker._private_jobs");
  else await db.$executeRawUnsafe("DELETE FROM job_queue");
});

describe("metrics the alerts and the dashboard use", () => {
  it("exports every shop_sync_* series named in alerts.yml and the Grafana dashboard", async () => {
    // prom-client writes a metric's HELP and TYPE lines before its first sample, so every metric is listed.
    const { body } = await scrapeMetrics();
    const exported = new Set([...body.matchAll(/^# TYPE (\w+) (\w+)$/gm)].map(([, name]) => name));
    const named = new Set(
      [opsFile("prometheus/alerts.yml"), opsFile("grafana/shop-sync.json")].flatMap((text) =>
        [...text.matchAll(/\bshop_sync_\w+/g)].map(([name]) => name.replace(/_(bucket|sum|count)$/, "")),
      ),
    );
    expect(named.size).toBeGreaterThanOrEqual(9);
    for (const name of named) expect(exported, `${name} is not exported`).toContain(name);
  });

  it("has a Grafana dashboard whose every time series panel queries a shop_sync or process series", () => {
    const dashboard = JSON.parse(opsFile("grafana/shop-sync.json")) as {
      uid: string;
      panels: Array<{ type: string; title: string; targets?: Array<{ expr: string }> }>;
    };
    expect(dashboard.uid).toBe("shop-sync");
    const series = dashboard.panels.filter((panel) => panel.type === "timeseries");
    expect(series.length).toBeGreaterThanOrEqual(10);
    for (const panel of series) {
      expect(panel.targets?.length, panel.title).toBeGreaterThan(0);
      for (const target of panel.targets ?? []) expect(target.expr, panel.title).toMatch(/shop_sync_|process_|nodejs_/);
    }
  });

  it("reports how long the oldest ready job has waited, and 0 for an empty queue", async () => {
    expect(sample((await scrapeMetrics()).body, "shop_sync_job_queue_oldest_ready_seconds")).toBe(0);
    await enqueue("test/waiting", {}, { runAt: new Date(Date.now() - 120_000) });
    await enqueue("test/later", {}, { runAt: new Date(Date.now() + 600_000) }); // scheduled: not waiting
    const age = sample((await scrapeMetrics()).body, "shop_sync_job_queue_oldest_ready_seconds");
    expect(age).toBeGreaterThanOrEqual(120);
    expect(age).toBeLessThan(180);
  });

  it("counts sync jobs by kind, resource and final status", async () => {
    const store = await db.shopifyStore.create({ data: { shop: "ops-metrics.myshopify.com", name: "Ops" } });
    const labels = 'kind="incremental",resource="orders",status="failed"';
    const before = sample((await scrapeMetrics()).body, "shop_sync_sync_jobs_finished_total", labels) ?? 0;
    const failing = await createSyncJob({ storeId: store.id, kind: "incremental", resource: "orders", trigger: "cli" });
    await startSyncJob(failing.id);
    await failSyncJob(failing.id, new Error("Admin API down"));
    const ok = await createSyncJob({ storeId: store.id, kind: "incremental", resource: "orders", trigger: "cli" });
    await finishSyncJob(ok.id);
    const { body } = await scrapeMetrics();
    expect(sample(body, "shop_sync_sync_jobs_finished_total", labels)).toBe(before + 1);
    expect(
      sample(body, "shop_sync_sync_jobs_finished_total", 'kind="incremental",resource="orders",status="succeeded"'),
    ).toBeGreaterThanOrEqual(1);
  });

  it("counts calls refused by an open circuit", async () => {
    const down = new HttpInternalError({ message: "down", code: 503, statusText: "Service Unavailable" });
    const admin: LibraryAdminContext = {
      async graphql() {
        throw down;
      },
    };
    let t = 0;
    const client = new AdminGraphqlClient(admin, {
      clock: { now: () => t, sleep: async (ms) => void (t += ms) },
      random: () => 0,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
      circuit: { failureThreshold: 2, coolDownMs: 60_000 },
    });
    const before = (await metrics().adminApiCircuitOpen.get()).values.find(
      (v) => v.labels.operation === "ShopName",
    )?.value;
    const doc = "#graphql\n query ShopName { shop { name } }";
    await expect(client.query(doc, z.object({}))).rejects.toMatchObject({ code: "RETRIES_EXHAUSTED" });
    await expect(client.query(doc, z.object({}))).rejects.toBeInstanceOf(CircuitOpenError);
    await expect(client.query(doc, z.object({}))).rejects.toBeInstanceOf(CircuitOpenError);
    const { body } = await scrapeMetrics();
    expect(sample(body, "shop_sync_admin_api_circuit_open_total", 'operation="ShopName"')).toBe((before ?? 0) + 2);
  });
});
