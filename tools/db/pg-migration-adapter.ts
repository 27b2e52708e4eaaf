// PostgreSQL driver adapter for the Prisma CLI (migrate deploy/diff, db push) only; the app uses
// @prisma/adapter-pg unchanged. Two workarounds for @prisma/adapter-pg 6.19 under Prisma's
// WebAssembly schema engine; remove each once fixed upstream:
//
// 1. The engine's catalog queries return columns of PostgreSQL's internal types `name` (oid 19) and
//    `"char"` (oid 18), which the adapter refuses to map ("Column type 'name' could not be
//    deserialized", prisma/orm#27403). Both are plain text, so we present them as `text` (oid 25).
// 2. The adapter's shadow database (used by `migrate diff --from-migrations`, our drift gate) keeps
//    the connection string, which overrides the shadow database name, so the shadow migration runs
//    against the real database; and it drops the shadow database before closing its pool. We create
//    and drop the shadow database ourselves.
import { randomUUID } from "node:crypto";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { parse } from "pg-connection-string";

const PG_NAME_OID = 19;
const PG_CHAR_OID = 18;
const PG_TEXT_OID = 25;

interface QueryResultLike {
  fields: Array<{ dataTypeID: number }>;
}
interface PerformsIO {
  performIO(query: unknown): Promise<QueryResultLike>;
}

let patched = false;

function presentCatalogTypesAsText(queryable: object): void {
  if (patched) return;
  // PgQueryable is the base class of both the adapter and its transactions.
  let proto: object | null = Object.getPrototypeOf(queryable);
  while (proto && !Object.hasOwn(proto, "performIO")) proto = Object.getPrototypeOf(proto);
  if (!proto) throw new Error("@prisma/adapter-pg changed: PgQueryable.performIO not found");
  const target = proto as PerformsIO;
  const original = target.performIO;
  target.performIO = async function (this: PerformsIO, query: unknown) {
    const result = await original.call(this, query);
    for (const field of result.fields) {
      if (field.dataTypeID === PG_NAME_OID || field.dataTypeID === PG_CHAR_OID) {
        field.dataTypeID = PG_TEXT_OID;
      }
    }
    return result;
  };
  patched = true;
}

async function adminQuery(config: pg.ClientConfig, sql: string): Promise<void> {
  const client = new pg.Client(config);
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function createPgMigrationAdapter(connectionString: string) {
  const { host, port, user, password, database } = parse(connectionString);
  const config = {
    host: host ?? undefined,
    port: port ? Number(port) : undefined,
    user,
    password,
    database: database ?? undefined,
    // The CLI does not close its adapter when a command ends, and pg's pool keeps an idle connection
    // (and the process) for 10 s after the last query; the engine's own timer is the other thing that
    // held it (tools/db/unref-engine-timers.cjs).
    allowExitOnIdle: true,
  };
  const factory = new PrismaPg(config);
  const connect = factory.connect.bind(factory);
  return Object.assign(factory, {
    async connect() {
      const adapter = await connect();
      presentCatalogTypesAsText(adapter);
      return adapter;
    },
    async connectToShadowDb() {
      const shadow = `shop_sync_shadow_${randomUUID().replaceAll("-", "")}`;
      await adminQuery(config, `CREATE DATABASE "${shadow}"`);
      const adapter = await new PrismaPg({ ...config, database: shadow }).connect();
      presentCatalogTypesAsText(adapter);
      const dispose = adapter.dispose.bind(adapter);
      adapter.dispose = async () => {
        await dispose();
        await adminQuery(config, `DROP DATABASE IF EXISTS "${shadow}"`);
      };
      return adapter;
    },
  });
}
