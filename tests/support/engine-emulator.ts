// Test support for the sync engine's mapper tests (app/sync/engine/fromGraphql.*.test.ts): the
// in-process Shopify emulator, the app's documents (app/admin-api/operations/) run against it, bulk
// operations run to the end, and the emulator's own webhook bodies for the same objects, so GraphQL and
// webhook rows can be compared one to one.
import {
  payloadFor,
  startCore,
  stringifyPayload,
  TEST_SHOP,
  type CoreHarness,
  type SeedParams,
  type ShopRec,
} from "../../tools/shopify-emulator/src/testing";

export { TEST_SHOP };

export interface EngineHarness {
  core: CoreHarness;
  shop: ShopRec;
  /** Runs a page query and returns `data`; fails on GraphQL errors. */
  query<T = Record<string, unknown>>(document: string, variables?: Record<string, unknown>): Promise<T>;
  /** Runs a bulk query to COMPLETED and returns the parsed JSONL lines. */
  bulk(document: string): Promise<unknown[]>;
  /** The exact body the emulator sends for `topic` about `resource` (a view from the store). */
  webhookBody(topic: string, resource: unknown): string;
  close(): Promise<void>;
}

// Plain strings, not #graphql documents: these are the test's own control calls, not the app's.
const RUN_BULK =
  "mutation RunBulk($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: false) { bulkOperation { id } userErrors { field message code } } }";
const BULK_STATUS = "query BulkStatus($id: ID!) { bulkOperation(id: $id) { status errorCode url } }";

export async function startEngineHarness(seed: SeedParams = {}): Promise<EngineHarness> {
  const core = await startCore(seed);
  const shop = core.emu.store.getShop(TEST_SHOP);
  if (!shop) throw new Error("the emulator did not seed the test shop");

  async function query<T>(document: string, variables: Record<string, unknown> = {}): Promise<T> {
    const response = await core.gql(document, variables);
    if (response.status !== 200 || response.body.errors) {
      throw new Error(`GraphQL failed (${response.status}): ${JSON.stringify(response.body.errors ?? response.body)}`);
    }
    return response.body.data as T;
  }

  return {
    core,
    shop,
    query,
    async bulk(document) {
      const started = await query<{
        bulkOperationRunQuery: { bulkOperation: { id: string } | null; userErrors: unknown[] };
      }>(RUN_BULK, { q: document });
      const operation = started.bulkOperationRunQuery.bulkOperation;
      if (!operation)
        throw new Error(`bulk query refused: ${JSON.stringify(started.bulkOperationRunQuery.userErrors)}`);
      await core.emu.bulk.idle();
      const status = await query<{ bulkOperation: { status: string; errorCode: string | null; url: string | null } }>(
        BULK_STATUS,
        { id: operation.id },
      );
      if (status.bulkOperation.status !== "COMPLETED") throw new Error(`bulk ended ${JSON.stringify(status)}`);
      if (!status.bulkOperation.url) return [];
      const text = await (await fetch(status.bulkOperation.url)).text();
      return text
        .trimEnd()
        .split("\n")
        .map((line) => JSON.parse(line) as unknown);
    },
    webhookBody(topic, resource) {
      return stringifyPayload(payloadFor(topic, resource, TEST_SHOP));
    },
    close: () => core.emu.close(),
  };
}
