// `npm run --silent emulator -- cost`: the cost calculator on its own. Reads JSON lines
// `{"query": "...", "variables": {...}, "operationName": "..."}` and writes, for each non-empty
// input line and in the same order, `{"requestedQueryCost": N}` or `{"error": "..."}`.
// A bad line never stops the stream: the caller gets one answer per question.
import { createInterface } from "node:readline";
import type { GraphQLSchema } from "graphql";
import { loadAdminSchema } from "../../../admin-schema/admin-schema";
import { QueryCostError, computeRequestedCost } from "./requested-cost";

export type CostCliAnswer = { requestedQueryCost: number } | { error: string };

/** Costs one input line. Exported so the HTTP surface and tests can share the exact answers. */
export function answerCostLine(schema: GraphQLSchema, line: string): CostCliAnswer {
  let request: unknown;
  try {
    request = JSON.parse(line);
  } catch (error) {
    return { error: `Invalid JSON: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof request !== "object" || request === null || Array.isArray(request)) {
    return { error: 'Each line must be a JSON object like {"query": "...", "variables": {...}}.' };
  }
  const { query, variables, operationName } = request as Record<string, unknown>;
  if (typeof query !== "string" || query.trim() === "") {
    return { error: 'Missing "query": a GraphQL document as a string is required.' };
  }
  if (variables !== undefined && variables !== null && (typeof variables !== "object" || Array.isArray(variables))) {
    return { error: '"variables" must be a JSON object.' };
  }
  if (operationName !== undefined && operationName !== null && typeof operationName !== "string") {
    return { error: '"operationName" must be a string.' };
  }
  try {
    const requestedQueryCost = computeRequestedCost(schema, query, {
      variables: (variables as Record<string, unknown> | null | undefined) ?? {},
      operationName: (operationName as string | null | undefined) ?? null,
    });
    return { requestedQueryCost };
  } catch (error) {
    if (error instanceof QueryCostError) return { error: error.message };
    throw error; // a bug in the calculator, not in the input: let it surface
  }
}

export async function runCostCli(
  input: NodeJS.ReadableStream,
  output: NodeJS.WritableStream,
  schema: GraphQLSchema = loadAdminSchema(),
): Promise<void> {
  const lines = createInterface({ input, crlfDelay: Infinity });
  for await (const line of lines) {
    if (line.trim() === "") continue;
    const answer = answerCostLine(schema, line);
    if (!output.write(`${JSON.stringify(answer)}\n`)) {
      await new Promise<void>((resolve) => output.once("drain", () => resolve()));
    }
  }
}
