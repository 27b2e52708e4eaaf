import { PassThrough, Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { loadAdminSchema } from "../../../admin-schema/admin-schema";
import { answerCostLine, runCostCli } from "./cost-cli";

const schema = loadAdminSchema();

async function runLines(lines: string[]): Promise<unknown[]> {
  const input = Readable.from([lines.join("\n")]);
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on("data", (chunk: Buffer) => chunks.push(chunk.toString("utf8")));
  await runCostCli(input, output, schema);
  output.end();
  return chunks
    .join("")
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as unknown);
}

describe("emulator cost CLI", () => {
  it("answers one JSON line per non-empty input line, in order, and survives bad lines", async () => {
    const answers = await runLines([
      JSON.stringify({
        query: "query ($n: Int!) { products(first: $n) { nodes { id } } }",
        variables: { n: 250 },
      }),
      "",
      "{not json",
      JSON.stringify({ query: "{ shop { id " }),
      JSON.stringify({ variables: {} }),
      "   ",
      JSON.stringify({ query: "{ shop { id } }" }),
    ]);
    expect(answers).toHaveLength(5);
    expect(answers[0]).toEqual({ requestedQueryCost: 13 });
    expect(answers[1]).toMatchObject({ error: expect.stringMatching(/^Invalid JSON/) });
    expect(answers[2]).toMatchObject({ error: expect.stringMatching(/syntax error/i) });
    expect(answers[3]).toEqual({ error: 'Missing "query": a GraphQL document as a string is required.' });
    expect(answers[4]).toEqual({ requestedQueryCost: 1 });
  });

  it("reads input split across chunks and CRLF line endings", async () => {
    const input = Readable.from([
      '{"query": "{ shop',
      ' { id } }"}\r\n{"query": "{ shop { id } }",',
      ' "operationName": "Nope"}\r\n',
    ]);
    const output = new PassThrough();
    let text = "";
    output.on("data", (c: Buffer) => (text += c.toString("utf8")));
    await runCostCli(input, output, schema);
    expect(text).toBe('{"requestedQueryCost":1}\n{"error":"Unknown operation named \\"Nope\\"."}\n');
  });

  it("rejects lines that are not objects and variables that are not objects", () => {
    expect(answerCostLine(schema, "[1]")).toHaveProperty("error");
    expect(answerCostLine(schema, JSON.stringify({ query: "{ shop { id } }", variables: [1] }))).toEqual({
      error: '"variables" must be a JSON object.',
    });
  });
});
