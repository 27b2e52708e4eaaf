// The bulk-operation calls of the full sync: start a bulk query and read an operation's status (and a
// fresh result URL); bulk-lines.server.ts reads the result file. Bulk operations are exempt from the
// cost limits; only these small calls are charged (ADR 0011).
import { z } from "zod";
import { BULK_OPERATION_STATUS_QUERY, BULK_RUN_QUERY_MUTATION } from "~/admin-api/operations";

/** What the full sync needs of the one Admin client (app/admin-api): a typed call with its cost. */
export interface BulkApiClient {
  request<T>(
    document: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    variables?: Record<string, unknown>,
    options?: { signal?: AbortSignal },
  ): Promise<{ data: T; cost: { actualQueryCost: number | null } | null; redactedFields?: string[] }>;
}

/** A client that adds up what Shopify charged, for the job's costSpent. */
export class CostMeter {
  spent = 0;
  constructor(
    private readonly client: BulkApiClient,
    private readonly signal?: AbortSignal,
  ) {}

  async query<T>(
    document: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    variables?: Record<string, unknown>,
  ): Promise<T> {
    return (await this.request(document, schema, variables)).data;
  }

  /** Like query, with the protected customer data Shopify redacted in the answer. */
  async request<T>(
    document: string,
    schema: z.ZodType<T, z.ZodTypeDef, unknown>,
    variables?: Record<string, unknown>,
  ): Promise<{ data: T; redactedFields: string[] }> {
    const { data, cost, redactedFields } = await this.client.request(document, schema, variables, {
      signal: this.signal,
    });
    this.spent += cost?.actualQueryCost ?? 0;
    return { data, redactedFields: redactedFields ?? [] };
  }
}

const runSchema = z.object({
  bulkOperationRunQuery: z.object({
    bulkOperation: z.object({ id: z.string(), status: z.string() }).nullable(),
    userErrors: z.array(
      z.object({ field: z.array(z.string()).nullable(), message: z.string(), code: z.string().nullable().optional() }),
    ),
  }),
});

const statusSchema = z.object({
  bulkOperation: z
    .object({
      id: z.string(),
      status: z.enum(["CREATED", "RUNNING", "COMPLETED", "CANCELING", "CANCELED", "FAILED", "EXPIRED"]),
      errorCode: z.string().nullable(),
      createdAt: z.coerce.date(),
      completedAt: z.coerce.date().nullable(),
      // UnsignedInt64: a string.
      objectCount: z.coerce.number(),
      rootObjectCount: z.coerce.number(),
      url: z.string().nullable(),
      partialDataUrl: z.string().nullable(),
    })
    .nullable(),
});

export type BulkOperationStatus = NonNullable<z.infer<typeof statusSchema>["bulkOperation"]>;

export type StartResult =
  | { ok: true; id: string }
  /** LIMIT_REACHED: five operations already run for this shop; try again later. */
  | { ok: false; limitReached: boolean; message: string };

export async function startBulkQuery(client: CostMeter, query: string): Promise<StartResult> {
  const { bulkOperationRunQuery: result } = await client.query(BULK_RUN_QUERY_MUTATION, runSchema, { query });
  if (result.bulkOperation) return { ok: true, id: result.bulkOperation.id };
  const limitReached = result.userErrors.some((error) => error.code === "LIMIT_REACHED");
  return { ok: false, limitReached, message: result.userErrors.map((error) => error.message).join("; ") };
}

export async function bulkOperationStatus(client: CostMeter, id: string): Promise<BulkOperationStatus | null> {
  return (await client.query(BULK_OPERATION_STATUS_QUERY, statusSchema, { id })).bulkOperation;
}

/** The result URL could not be read (expired or refused): start a new operation. */
export class BulkResultUnavailableError extends Error {
  constructor(readonly status: number) {
    super(`bulk result file answered HTTP ${status}`);
    this.name = "BulkResultUnavailableError";
  }
}
