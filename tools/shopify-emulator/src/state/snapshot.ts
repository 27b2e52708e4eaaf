// Snapshot: the whole store as one JSON file, loaded at start (`--snapshot FILE`) and written on
// shutdown or on demand (POST /__emulator/snapshot). Records are written as they are held (sequence
// numbers, cents, epoch ms), so ids come back identical after a reload.
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import type { LevelColumns, ShopRec } from "./model";
import type { Store } from "./store";

const FORMAT = "shop-sync-emulator-snapshot@1";

type Holey = Array<number | null>;

function dense(xs: Array<number | undefined>): Holey {
  const out: Holey = new Array(xs.length);
  for (let i = 0; i < xs.length; i++) out[i] = xs[i] ?? null;
  return out;
}

function holey(xs: Holey): number[] {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (xs[i] !== null) out[i] = xs[i]!;
  return out;
}

export function snapshotJson(store: Store): string {
  const shops = [...store.shops.values()].map((s) => ({
    ...s,
    accessTokens: [...s.accessTokens],
    cache: undefined,
    levels: s.levels.map((c) => ({
      available: dense(c.available),
      committed: dense(c.committed),
      updatedAt: dense(c.updatedAt),
      createdAt: dense(c.createdAt),
    })),
    // Result files live in a temp dir of this process; only the operations' records survive.
    bulkOperations: s.bulkOperations.map((b) => (b ? { ...b, filePath: null } : null)),
  }));
  return JSON.stringify({ format: FORMAT, shops });
}

export function saveSnapshot(store: Store, file: string): void {
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, snapshotJson(store));
  renameSync(tmp, file); // atomic: a crash mid-write never leaves half a snapshot
}

export function loadSnapshot(store: Store, file: string): boolean {
  if (!existsSync(file)) return false;
  const parsed = JSON.parse(readFileSync(file, "utf8")) as { format?: string; shops: Array<Record<string, unknown>> };
  if (parsed.format !== FORMAT) throw new Error(`${file} is not a Shop Sync emulator snapshot`);
  store.shops.clear();
  for (const raw of parsed.shops) {
    const undef = <T>(xs: Array<T | null>) => xs.map((x) => x ?? undefined);
    const s = {
      ...raw,
      accessTokens: new Map(raw.accessTokens as Array<[string, string[]]>),
      cache: new Map(),
      products: undef(raw.products as never[]),
      variants: undef(raw.variants as never[]),
      customers: undef(raw.customers as never[]),
      orders: undef(raw.orders as never[]),
      webhookSubscriptions: undef(raw.webhookSubscriptions as never[]),
      // Result files did not survive the old process: urls are dropped, and operations that were
      // still running are reported failed, as Shopify reports operations it lost.
      bulkOperations: undef(raw.bulkOperations as Array<Record<string, unknown> | null>).map((b) =>
        !b
          ? b
          : {
              ...b,
              url: null,
              partialDataUrl: null,
              ...(["CREATED", "RUNNING", "CANCELING"].includes(b.status as string) && {
                status: "FAILED",
                errorCode: "INTERNAL_SERVER_ERROR",
              }),
            },
      ),
      levels: (raw.levels as Array<Record<keyof LevelColumns, Holey>>).map((c) => ({
        available: holey(c.available),
        committed: holey(c.committed),
        updatedAt: holey(c.updatedAt),
        createdAt: holey(c.createdAt),
      })),
    } as unknown as ShopRec;
    store.shops.set(s.domain, s);
  }
  return true;
}
