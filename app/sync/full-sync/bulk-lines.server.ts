// Reads a bulk operation's result file on a thread of its own (bulk-lines.worker.ts), which downloads,
// parses and maps the lines; this side receives them mapped, in chunks, and grants the thread one
// more chunk for each it takes, so no more than READ_AHEAD_CHUNKS are ever waiting in memory.
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { CustomerDataPolicy } from "~/sync/engine/customer-data";
import { BulkResultUnavailableError } from "./bulk-operations.server";
import type { BulkLinesCredit, BulkLinesJob, BulkLinesMessage, MappedLine } from "./bulk-lines.worker";

export type { MappedLine };

export interface MappedChunk {
  lines: MappedLine[];
  /** Every line of the file up to this one has been read (empty lines are not in `lines`). */
  lastLine: number;
}

/** Lines per chunk: large enough that a message's fixed cost does not count, small for memory. */
const CHUNK_LINES = 1_000;
/** Chunks the thread may have read ahead of the writer: one being written, the next ready. */
const READ_AHEAD_CHUNKS = 2;
/**
 * The reader's heap. It holds a few chunks and the line being parsed; nearly everything it allocates
 * dies young, and V8's default young generation (tens of MB, sized for the process) only let that
 * garbage sit: 8 MB took the sync's peak RSS at 100,000 products from 291 to 243 MB.
 */
const READER_OLD_GENERATION_MB = 128;
const READER_YOUNG_GENERATION_MB = 8;

/**
 * The thread's script. From source (tsx, Vitest, Vite's dev server) the thread runs the TypeScript
 * through tsx's loader; the built server (`npm start`) runs the JavaScript that vite.config.ts's
 * `bulkLinesWorker` plugin writes beside the server bundle.
 */
function readerScript(): { file: string; execArgv: string[] } {
  if (import.meta.url.endsWith(".ts")) {
    return { file: fileURLToPath(new URL("./bulk-lines.worker.ts", import.meta.url)), execArgv: ["--import", "tsx"] };
  }
  const file = fileURLToPath(new URL("./bulk-lines.worker.js", import.meta.url));
  if (!existsSync(file)) throw new Error(`${file} is missing: build the app with \`npm run build\``);
  return { file, execArgv: [] };
}

/**
 * The mapped lines after `skipLines`, chunk by chunk. Stopping early (break, an error, an abort)
 * stops the thread. Throws BulkResultUnavailableError when the URL answers with an error status, and
 * the thread's error (a line that does not map) as an Error.
 */
export async function* readBulkResult(
  url: string,
  options: { skipLines: number; signal?: AbortSignal; customerData?: CustomerDataPolicy },
): AsyncGenerator<MappedChunk> {
  const { file, execArgv } = readerScript();
  const job: BulkLinesJob = {
    url,
    skipLines: options.skipLines,
    chunkLines: CHUNK_LINES,
    ...(options.customerData && { customerData: options.customerData }),
  };
  const reader = new Worker(file, {
    workerData: job,
    execArgv,
    resourceLimits: {
      maxOldGenerationSizeMb: READER_OLD_GENERATION_MB,
      maxYoungGenerationSizeMb: READER_YOUNG_GENERATION_MB,
    },
  });
  const received: BulkLinesMessage[] = [];
  let failure: Error | null = null;
  let exited = false;
  let wake: (() => void) | null = null;
  const notify = () => {
    wake?.();
    wake = null;
  };
  reader.on("message", (message: BulkLinesMessage) => {
    received.push(message);
    notify();
  });
  reader.on("error", (error) => {
    failure = error;
    notify();
  });
  reader.on("exit", () => {
    exited = true;
    notify();
  });
  options.signal?.addEventListener("abort", notify, { once: true });
  const grant = (credit: number) => reader.postMessage({ credit } satisfies BulkLinesCredit);

  try {
    grant(READ_AHEAD_CHUNKS);
    for (;;) {
      const message = received.shift();
      if (!message) {
        if (failure) throw failure;
        if (exited) throw new Error("the bulk file reader stopped before the end of the file");
        options.signal?.throwIfAborted();
        await new Promise<void>((resolve) => (wake = resolve));
        continue;
      }
      switch (message.type) {
        case "lines":
          grant(1);
          yield { lines: message.lines, lastLine: message.lastLine };
          break;
        case "end":
          yield { lines: [], lastLine: message.lastLine };
          return;
        case "unavailable":
          throw new BulkResultUnavailableError(message.status);
        case "error":
          throw new Error(`bulk file: ${message.message}`);
      }
    }
  } finally {
    options.signal?.removeEventListener("abort", notify);
    await reader.terminate();
  }
}
