// Moves SQLite's write-ahead-log checkpoints off the event loop. A checkpoint copies the pages the WAL
// holds back into the database file and flushes that file to disk. By default SQLite runs one inside
// whichever commit finds the WAL past 1,000 pages (wal_autocheckpoint), on the committing connection:
// with better-sqlite3 that is the web process's only thread, and with webhook ingest appending
// ~6 kB bodies at a thousand a second, it was a checkpoint every half second, each holding every
// request for tens of milliseconds (20 deliveries per commit on this machine's disk: commit p99 35 ms
// with automatic checkpoints, 5 ms without; docs/decisions/0043-ingest-event-loop-turns.md).
//
// So the app's connection checkpoints only as a safety net (SAFETY_NET_PAGES), and a worker thread with
// a connection of its own runs a PASSIVE checkpoint every CHECKPOINT_INTERVAL_MS. PASSIVE takes no
// write lock: it copies what no reader still needs and never waits, so neither thread waits for the
// other, and a commit on the event loop is an append to the WAL (flushed: synchronous stays FULL).
//
// Why hand-written: no library runs SQLite checkpoints; the worker's code is a dozen lines of the
// better-sqlite3 API, kept inline (an eval'd worker) so that it needs no file of its own in the Vite
// build.
import { Worker } from "node:worker_threads";
import type Sqlite from "better-sqlite3";

/** Pages past which the app's own connection still checkpoints (if the thread could not keep up). */
export const SAFETY_NET_PAGES = 16_000;
/** How often the checkpoint thread runs a passive checkpoint. */
export const CHECKPOINT_INTERVAL_MS = 100;

const CHECKPOINT_THREAD = `
const { workerData, parentPort } = require("node:worker_threads");
const Database = require(workerData.driver);
const connection = new Database(workerData.file);
const timer = setInterval(() => {
  try {
    connection.pragma("wal_checkpoint(PASSIVE)");
  } catch (error) {
    // SQLITE_BUSY: another connection is checkpointing; the next tick tries again.
    if (error && error.code !== "SQLITE_BUSY") parentPort.postMessage(String(error && error.message));
  }
}, workerData.intervalMs);
parentPort.on("message", () => {
  clearInterval(timer);
  connection.close();
  parentPort.close();
});
`;

const threads = new Map<string, Worker>();

/**
 * Raises `connection`'s automatic checkpoint to the safety net and starts the checkpoint thread for its
 * file (one per file and process). Not for in-memory databases (they have no WAL).
 */
export function checkpointOffTheEventLoop(connection: Sqlite.Database, driverPath: string): void {
  const file = connection.name;
  if (connection.memory || file === "" || file === ":memory:") return;
  if (String(connection.pragma("journal_mode", { simple: true })).toLowerCase() !== "wal") return;
  connection.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
  if (threads.has(file)) return;
  const thread = new Worker(CHECKPOINT_THREAD, {
    eval: true,
    workerData: { file, driver: driverPath, intervalMs: CHECKPOINT_INTERVAL_MS },
  });
  // The thread never keeps the process alive, and a failure to start it leaves the safety net.
  thread.unref();
  thread.on("error", (error) => {
    console.error("[db] SQLite checkpoint thread failed; the connection's own checkpoints remain", error);
    threads.delete(file);
  });
  thread.on("message", (message) => console.error(`[db] SQLite checkpoint: ${String(message)}`));
  threads.set(file, thread);
}

/** Stops the checkpoint threads (their connections close). */
export async function stopCheckpointThreads(): Promise<void> {
  const stopping = [...threads.values()].map(
    (thread) =>
      new Promise<void>((resolve) => {
        thread.once("exit", () => resolve());
        thread.postMessage("stop");
      }),
  );
  threads.clear();
  await Promise.all(stopping);
}
