// BulkOperation and the payloads of its mutations.
import { type BulkOperationRec } from "../../state/model";
import { iso, isoOrNull } from "../../state/views";
import { type FieldDef, plain, g } from "./shared";

export const BULK_OPERATIONS_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  BulkOperation: {
    id: (b: BulkOperationRec, _a, rc) => g(rc, "BulkOperation", b.seq),
    status: (b: BulkOperationRec) => b.status,
    type: (b: BulkOperationRec) => b.type,
    errorCode: (b: BulkOperationRec) => b.errorCode,
    createdAt: (b: BulkOperationRec) => iso(b.createdAt),
    completedAt: (b: BulkOperationRec) => isoOrNull(b.completedAt),
    // UnsignedInt64 fields are strings on the wire, as in real responses ("objectCount": "4").
    objectCount: (b: BulkOperationRec) => String(b.objectCount),
    rootObjectCount: (b: BulkOperationRec) => String(b.rootObjectCount),
    fileSize: (b: BulkOperationRec) => (b.fileSize == null ? null : String(b.fileSize)),
    url: (b: BulkOperationRec) => b.url,
    partialDataUrl: (b: BulkOperationRec) => b.partialDataUrl,
    query: (b: BulkOperationRec) => b.query,
  },
  BulkOperationRunQueryPayload: plain("bulkOperation", "userErrors"),
  BulkOperationCancelPayload: plain("bulkOperation", "userErrors"),
  BulkOperationUserError: plain("field", "message", "code"),

  MoneyV2: plain("amount", "currencyCode"),
};
