// Tenant isolation as a rule of the data layer: shop data (every model with a storeId) is reached
// only through `tenantDb(storeId)`, a Prisma client extension that adds `storeId` to the `where` of
// every read, update and delete, and to the `data` of every create, so no query can forget it.
// Cross-store access is impossible by construction rather than by review. The raw `db` client is
// reserved for sessions, the store table itself and migrations (eslint's no-restricted-imports).
import { Prisma } from "@prisma/client";
import { db } from "~/db.server";

const TENANT_MODELS = new Set<string>(
  Prisma.dmmf.datamodel.models
    .filter((model) => model.fields.some((field) => field.name === "storeId"))
    .map((model) => model.name),
);

const WHERE_OPERATIONS = new Set([
  "findUnique",
  "findUniqueOrThrow",
  "findFirst",
  "findFirstOrThrow",
  "findMany",
  "count",
  "aggregate",
  "groupBy",
  "update",
  "updateMany",
  "updateManyAndReturn",
  "delete",
  "deleteMany",
  "upsert",
]);
const CREATE_OPERATIONS = new Set(["create", "createMany", "createManyAndReturn", "upsert"]);

export class TenantViolationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TenantViolationError";
  }
}

function scopeData(data: unknown, storeId: number): unknown {
  if (Array.isArray(data)) return data.map((row) => scopeData(row, storeId));
  if (data && typeof data === "object") {
    const row = data as Record<string, unknown>;
    if ("storeId" in row && row.storeId !== storeId) {
      throw new TenantViolationError(`refusing to write storeId ${String(row.storeId)} from store ${storeId}`);
    }
    // A nested `store: { connect }` would bypass storeId; shop data never needs it.
    if ("store" in row) throw new TenantViolationError("set storeId through tenantDb, not a store relation");
    return { ...row, storeId };
  }
  return data;
}

function scopeWhere(where: unknown, storeId: number, model: string, operation: string): Record<string, unknown> {
  const clause = (where ?? {}) as Record<string, unknown>;
  if ("storeId" in clause && clause.storeId !== storeId) {
    throw new TenantViolationError(
      `${model}.${operation} asked for storeId ${String(clause.storeId)} from store ${storeId}`,
    );
  }
  // findUnique needs its unique selector at top level (e.g. storeId_shopifyId); adding storeId beside
  // it is allowed by Prisma and narrows further.
  return { ...clause, storeId };
}

export function tenantDb(storeId: number) {
  if (!Number.isInteger(storeId) || storeId <= 0) {
    throw new TenantViolationError(`tenantDb needs a store id, got ${String(storeId)}`);
  }
  return db.$extends({
    name: `tenant-${storeId}`,
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          if (!TENANT_MODELS.has(model)) {
            throw new TenantViolationError(`${model} is not shop data; use its own module`);
          }
          const scoped = { ...(args as Record<string, unknown>) };
          if (WHERE_OPERATIONS.has(operation)) {
            scoped.where = scopeWhere(scoped.where, storeId, model, operation);
          }
          if (CREATE_OPERATIONS.has(operation)) {
            if (operation === "upsert") {
              scoped.create = scopeData(scoped.create, storeId);
              if (scoped.update) scoped.update = { ...(scoped.update as object) };
            } else {
              scoped.data = scopeData(scoped.data, storeId);
            }
          }
          if (operation === "update" || operation === "updateMany" || operation === "updateManyAndReturn") {
            const data = scoped.data as Record<string, unknown> | undefined;
            if (data && "storeId" in data && data.storeId !== storeId) {
              throw new TenantViolationError("shop data cannot move between stores");
            }
          }
          return query(scoped as typeof args);
        },
      },
    },
  });
}

export type TenantDb = ReturnType<typeof tenantDb>;
