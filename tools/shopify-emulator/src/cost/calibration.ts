// Loads the calibration set (real requests with the cost Shopify charged) and scores the
// calculator against it. Shared by the tests; kept out of the runtime path.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { GraphQLSchema } from "graphql";
import type { CostTables } from "./cost-rules";
import { computeRequestedCost } from "./requested-cost";

export interface CalibrationCase {
  query: string;
  variables: Record<string, unknown> | null;
  requestedQueryCost: number;
  apiVersion: string | null;
  /** Capture file, `<store>/<api version>/<domain>/<scenario>.json`. */
  source: string;
}

export const CALIBRATION_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../test-fixtures/cost-calibration/cases.jsonl",
);

export function loadCalibrationCases(file = CALIBRATION_FILE): CalibrationCase[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as CalibrationCase);
}

/** The API area a case exercises (`products`, `orders`, …): the folds of the held-out check. */
export function domainOf(c: CalibrationCase): string {
  return c.source.split("/")[2] ?? "unknown";
}

export interface Mismatch {
  index: number;
  source: string;
  expected: number;
  actual: number | string;
  query: string;
}

export function scoreCases(
  schema: GraphQLSchema,
  cases: CalibrationCase[],
  tables?: CostTables,
): { matched: number; total: number; mismatches: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  cases.forEach((c, index) => {
    let actual: number | string;
    try {
      actual = computeRequestedCost(schema, c.query, { variables: c.variables ?? {}, tables });
    } catch (error) {
      actual = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
    if (actual !== c.requestedQueryCost) {
      mismatches.push({
        index,
        source: c.source,
        expected: c.requestedQueryCost,
        actual,
        query: c.query.replace(/\s+/g, " ").trim().slice(0, 160),
      });
    }
  });
  return { matched: cases.length - mismatches.length, total: cases.length, mismatches };
}

export function describeMismatches(mismatches: Mismatch[], limit = 20): string {
  const lines = mismatches
    .slice(0, limit)
    .map((m) => `#${m.index} ${m.source}: expected ${m.expected}, got ${m.actual} — ${m.query}`);
  if (mismatches.length > limit) lines.push(`… and ${mismatches.length - limit} more`);
  return lines.join("\n");
}
