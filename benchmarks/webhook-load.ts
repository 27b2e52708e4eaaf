// The load generator of the webhook benchmark (benchmarks/webhooks.ts), in a process of its own (not
// the server's). It builds and signs every delivery first (not timed), then POSTs them over keep-alive
// connections (node:http Agent) to `${url}/webhooks/<topic>`:
// - closed loop: `concurrency` lanes, each sends its next delivery when the previous one is answered;
// - open loop: one delivery every 1/rate s whatever the answers, latency counted from the scheduled
//   send time (so a slow server is not hidden by the generator waiting for it).
// - retryUntilAcknowledged: afterwards, every delivery not answered 200 is sent again, as Shopify
//   retries it (rounds RETRY_PAUSE_MS apart, closed loop), until each is acknowledged or the rounds run out.
// Config in BENCH_LOAD (JSON); prints one JSON line with the result.
import http from "node:http";
import { makeDeliveries, type SignedDelivery } from "./webhook-deliveries";

export interface LoadConfig {
  url: string;
  mode: "closed" | "open";
  count: number;
  concurrency: number;
  /** Deliveries per second (open loop). */
  rate?: number;
  secret: string;
  shop: string;
  webhookIdPrefix: string;
  run: number;
  retryUntilAcknowledged?: boolean;
}

export interface LoadResult {
  mode: "closed" | "open";
  sent: number;
  acknowledged: number;
  statuses: Record<string, number>;
  errors: number;
  seconds: number;
  acknowledgedPerSecond: number;
  latencyMs: { p50: number; p99: number; max: number };
  /** Open loop: connections the generator opened, and whether the slowest 1% were first requests. */
  connections?: { opened: number; slowestPercentOnNewConnections: number; slowestSentAtMs: number | null };
  /**
   * Where an acknowledged delivery's latency went (open loop): sendLagMs, from its scheduled time until
   * the generator sent it (the generator itself behind); socketWaitMs, waiting in the generator's socket
   * pool for a free connection; serverMs, from the request written to its answer read (the server, and
   * the kernel's buffers in front of it).
   */
  breakdownMs?: Record<"sendLagMs" | "socketWaitMs" | "serverMs", { p50: number; p99: number; max: number }>;
  bodyBytesMean: number;
  /** CPU the generator used during the phase, in cores (its retries not counted). */
  generatorCpuCores: number;
  firstError?: string;
  /** With retryUntilAcknowledged: the resending after the phase. */
  retries?: { rounds: number; resent: number; neverAcknowledged: number; statuses: Record<string, number> };
}

const RETRY_PAUSE_MS = 1000;
const RETRY_ROUNDS = 60;

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

const round = (n: number, digits = 1) => Number(n.toFixed(digits));

async function main(): Promise<void> {
  const config = JSON.parse(process.env.BENCH_LOAD ?? "{}") as LoadConfig;
  const deliveries = makeDeliveries(config);
  const agent = new http.Agent({ keepAlive: true, maxSockets: config.concurrency });
  const base = new URL(config.url);
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  const breakdown = { sendLagMs: [] as number[], socketWaitMs: [] as number[], serverMs: [] as number[] };
  let errors = 0;
  let firstError: string | undefined;

  const acknowledged = new Set<SignedDelivery>();
  let retrying: Record<string, number> | null = null;
  const post = (delivery: SignedDelivery, since: number) =>
    new Promise<void>((resolve) => {
      const sentAt = performance.now();
      let writtenAt = sentAt;
      let newConnection = false;
      const request = http.request(
        {
          host: base.hostname,
          port: base.port,
          path: `/webhooks/${delivery.topic}`,
          method: "POST",
          agent,
          headers: delivery.headers,
        },
        (response) => {
          response.resume();
          response.on("end", () => {
            const status = String(response.statusCode);
            const counts = retrying ?? statuses;
            counts[status] = (counts[status] ?? 0) + 1;
            if (response.statusCode === 200) {
              acknowledged.add(delivery);
              if (!retrying) {
                const answeredAt = performance.now();
                latencies.push(answeredAt - since);
                breakdown.sendLagMs.push(sentAt - since);
                breakdown.socketWaitMs.push(writtenAt - sentAt);
                breakdown.serverMs.push(answeredAt - writtenAt);
                acknowledgedTimes.push({ sentAtMs: since - started, serverMs: answeredAt - writtenAt, newConnection });
              }
            }
            resolve();
          });
        },
      );
      request.on("error", (error) => {
        if (retrying) retrying.error = (retrying.error ?? 0) + 1;
        else errors += 1;
        firstError ??= error.message;
        resolve();
      });
      request.once("socket", (socket) => {
        const written = () => (writtenAt = performance.now());
        newConnection = socket.connecting;
        if (newConnection && !retrying) connectionsOpened += 1;
        if (socket.connecting) socket.once("connect", written);
        else written();
      });
      request.end(delivery.body);
    });

  const acknowledgedTimes: Array<{ sentAtMs: number; serverMs: number; newConnection: boolean }> = [];
  let connectionsOpened = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  if (config.mode === "closed") {
    let next = 0;
    const lane = async () => {
      while (next < deliveries.length) {
        const delivery = deliveries[next++] as SignedDelivery;
        await post(delivery, performance.now());
      }
    };
    await Promise.all(Array.from({ length: config.concurrency }, lane));
  } else {
    const interval = 1000 / (config.rate ?? 500);
    const inFlight: Promise<void>[] = [];
    let next = 0;
    while (next < deliveries.length) {
      const now = performance.now();
      while (next < deliveries.length && started + next * interval <= now) {
        inFlight.push(post(deliveries[next] as SignedDelivery, started + next * interval));
        next += 1;
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    await Promise.all(inFlight);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  // Near 1, the generator's one thread was saturated: latencies then include its own delay (sendLagMs).
  const generatorCpuCores = round((cpu.user + cpu.system) / 1e6 / seconds, 2);
  let retries: LoadResult["retries"];
  if (config.retryUntilAcknowledged) {
    retrying = {};
    let rounds = 0;
    let resent = 0;
    let pending = deliveries.filter((delivery) => !acknowledged.has(delivery));
    while (pending.length > 0 && rounds < RETRY_ROUNDS) {
      await new Promise((resolve) => setTimeout(resolve, RETRY_PAUSE_MS));
      rounds += 1;
      resent += pending.length;
      let next = 0;
      const batch = pending;
      const lane = async () => {
        while (next < batch.length) await post(batch[next++] as SignedDelivery, performance.now());
      };
      await Promise.all(Array.from({ length: config.concurrency }, lane));
      pending = pending.filter((delivery) => !acknowledged.has(delivery));
    }
    retries = { rounds, resent, neverAcknowledged: pending.length, statuses: retrying };
  }
  agent.destroy();
  // The slowest 1% of server times, and how many of them were a connection's first request: a
  // connection waits in the kernel's accept queue until the server's event loop accepts it, and Node
  // accepts one connection per turn of its loop (docs/decisions/0043-ingest-event-loop-turns.md).
  acknowledgedTimes.sort((a, b) => b.serverMs - a.serverMs);
  const slowest = acknowledgedTimes.slice(0, Math.max(1, Math.ceil(acknowledgedTimes.length / 100)));
  /** p50, p99 and max of `values` (sorted here). */
  const summary = (values: number[]) => {
    values.sort((a, b) => a - b);
    return { p50: round(percentile(values, 50)), p99: round(percentile(values, 99)), max: round(values.at(-1) ?? NaN) };
  };
  const result: LoadResult = {
    mode: config.mode,
    sent: deliveries.length,
    acknowledged: statuses["200"] ?? 0,
    statuses,
    errors,
    seconds: round(seconds, 3),
    acknowledgedPerSecond: Math.round((statuses["200"] ?? 0) / seconds),
    latencyMs: summary(latencies),
    generatorCpuCores,
    bodyBytesMean: Math.round(deliveries.reduce((sum, d) => sum + d.body.byteLength, 0) / deliveries.length),
    ...(config.mode === "open" && {
      connections: {
        opened: connectionsOpened,
        slowestPercentOnNewConnections: round((100 * slowest.filter((x) => x.newConnection).length) / slowest.length),
        slowestSentAtMs: slowest.length ? round(Math.min(...slowest.map((x) => x.sentAtMs))) : null,
      },
      breakdownMs: {
        sendLagMs: summary(breakdown.sendLagMs),
        socketWaitMs: summary(breakdown.socketWaitMs),
        serverMs: summary(breakdown.serverMs),
      },
    }),
    ...(firstError && { firstError }),
    ...(retries && { retries }),
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

if (process.env.BENCH_LOAD) await main();
