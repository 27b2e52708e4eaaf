// The bulk file reader thread over real HTTP: lines mapped in order with their line numbers, committed
// lines skipped, an expired URL reported as such (the full sync then starts a new operation), a line
// that does not map failing the read with its reason, and a caller that stops early.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readBulkResult, type MappedChunk } from "./bulk-lines.server";
import { BulkResultUnavailableError } from "./bulk-operations.server";

const product = (n: number) =>
  JSON.stringify({
    id: `gid://shopify/Product/${n}`,
    title: `Product ${n}`,
    handle: null,
    vendor: null,
    productType: null,
    status: "ACTIVE",
    tags: [],
    createdAt: null,
    updatedAt: "2026-01-01T00:00:00Z",
    publishedAt: null,
  });

const files: Record<string, string> = {
  // 2,500 lines with a blank one (Shopify ends the file with a newline): chunks of 1,000 lines.
  "/products.jsonl": `${Array.from({ length: 2_500 }, (_, i) => product(i + 1)).join("\n")}\n`,
  "/bad.jsonl": `${product(1)}\n{"id":"gid://shopify/Product/2","title":42}\n`,
};

let server: http.Server;
let base: string;
beforeAll(async () => {
  server = http.createServer((request, response) => {
    const body = files[request.url ?? ""];
    if (body === undefined) response.writeHead(403).end("Request has expired");
    else response.writeHead(200, { "content-type": "application/jsonl" }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

async function readAll(url: string, skipLines = 0): Promise<MappedChunk[]> {
  const chunks: MappedChunk[] = [];
  for await (const chunk of readBulkResult(url, { skipLines })) chunks.push(chunk);
  return chunks;
}

describe("readBulkResult", () => {
  it("maps every line, in order, with its line number, in chunks", async () => {
    const chunks = await readAll(`${base}/products.jsonl`);
    const lines = chunks.flatMap((chunk) => chunk.lines);
    expect(lines).toHaveLength(2_500);
    expect(lines.map((line) => line.line)).toEqual(Array.from({ length: 2_500 }, (_, i) => i + 1));
    expect(lines[41]?.row).toMatchObject({ kind: "product", row: { shopifyId: "gid://shopify/Product/42" } });
    expect(chunks.map((chunk) => chunk.lines.length)).toEqual([1_000, 1_000, 500, 0]);
    expect(chunks.at(-1)?.lastLine).toBe(2_500);
  });

  it("skips the lines a checkpoint says are committed", async () => {
    const lines = (await readAll(`${base}/products.jsonl`, 2_400)).flatMap((chunk) => chunk.lines);
    expect(lines.map((line) => line.line)).toEqual(Array.from({ length: 100 }, (_, i) => 2_401 + i));
  });

  it("reports an expired URL as unavailable", async () => {
    await expect(readAll(`${base}/expired.jsonl`)).rejects.toBeInstanceOf(BulkResultUnavailableError);
  });

  it("fails on a line that does not map, naming the field", async () => {
    await expect(readAll(`${base}/bad.jsonl`)).rejects.toThrow(/bulk file: .*title/);
  });

  it("ends when its caller stops early (the thread is terminated then)", async () => {
    const reading = readBulkResult(`${base}/products.jsonl`, { skipLines: 0 });
    const first = await reading.next();
    expect(first.value?.lines).toHaveLength(1_000);
    // return() runs the generator's finally, which terminates the thread; a later read ends at once.
    await reading.return(undefined);
    expect((await reading.next()).done).toBe(true);
  });
});
