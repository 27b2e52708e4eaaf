// The full sync's reader thread (node:worker_threads): downloads a bulk operation's result file,
// splits it into lines, parses and maps every line (JSON.parse, then fromBulkLine's zod schemas) and
// hands the mapped lines to the job's thread in chunks. Started by readBulkResult
// (bulk-lines.server.ts); nothing else imports it.
//
// Why a thread: parsing and mapping a line costs the job's thread about twice what writing its row
// does; on this thread they run beside the writes, on another core, and the job's thread (in the
// embedded deployment, the web process's) keeps its time for writing and for requests.
//
// Flow control: the job's thread grants credits, one per chunk. This thread never reads further than
// the chunks it was granted, so its memory — and the download, through TCP backpressure — stays
// bounded whatever the file's size.
import { createInterface } from "node:readline";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parentPort, workerData } from "node:worker_threads";
import type { CustomerDataPolicy } from "~/sync/engine/customer-data";
import { fromBulkLineFor, type BulkRow } from "~/sync/engine/from-graphql";

export interface BulkLinesJob {
  url: string;
  /** Lines up to this one (1-based) are committed already: read past them unparsed. */
  skipLines: number;
  /** Lines per chunk. */
  chunkLines: number;
  /** What the app may keep of customers: an Order line loses the fields it does not allow. */
  customerData?: CustomerDataPolicy;
}

export interface MappedLine {
  /** 1-based line number in the file. */
  line: number;
  row: BulkRow;
}

/** From the job's thread: read `credit` more chunks. */
export interface BulkLinesCredit {
  credit: number;
}

export type BulkLinesMessage =
  /** `lastLine`: every line up to it was read (empty lines are not sent). */
  | { type: "lines"; lines: MappedLine[]; lastLine: number }
  | { type: "end"; lastLine: number }
  /** The result URL answered with an error status (expired, refused). */
  | { type: "unavailable"; status: number }
  | { type: "error"; message: string };

async function read(job: BulkLinesJob, port: NonNullable<typeof parentPort>): Promise<void> {
  let credits = 0;
  let granted: (() => void) | null = null;
  port.on("message", (message: BulkLinesCredit) => {
    credits += message.credit;
    granted?.();
  });
  const sendLines = async (lines: MappedLine[], lastLine: number) => {
    while (credits === 0) await new Promise<void>((resolve) => (granted = resolve));
    granted = null;
    credits -= 1;
    port.postMessage({ type: "lines", lines, lastLine } satisfies BulkLinesMessage);
  };

  const response = await fetch(job.url);
  if (!response.ok || !response.body) {
    port.postMessage({ type: "unavailable", status: response.status } satisfies BulkLinesMessage);
    return;
  }
  const lines = createInterface({
    input: Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>),
    crlfDelay: Infinity,
  });
  const map = fromBulkLineFor(job.customerData);
  let lineNo = 0;
  let chunk: MappedLine[] = [];
  for await (const text of lines) {
    lineNo++;
    if (lineNo <= job.skipLines || text.length === 0) continue;
    chunk.push({ line: lineNo, row: map(JSON.parse(text)) });
    if (chunk.length >= job.chunkLines) {
      await sendLines(chunk, lineNo);
      chunk = [];
    }
  }
  if (chunk.length) await sendLines(chunk, lineNo);
  port.postMessage({ type: "end", lastLine: lineNo } satisfies BulkLinesMessage);
}

if (parentPort) {
  const port = parentPort;
  read(workerData as BulkLinesJob, port).catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({ type: "error", message } satisfies BulkLinesMessage);
  });
}
