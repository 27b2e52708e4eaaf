// Location and LocationAddress.
import { makeId } from "../../state/ids";
import { type LocationRec } from "../../state/model";
import { iso } from "../../state/views";
import { type ListSpec } from "../connection";
import { compileSearch } from "../search";
import {
  type FieldDef,
  conn,
  plain,
  g,
  legacy,
  requireScope,
  seqFromGid,
  levelRef,
  levelExists,
  levelList,
  address,
} from "./shared";

export const LOCATIONS_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  Location: {
    id: (l: LocationRec, _a, rc) => g(rc, "Location", l.seq),
    legacyResourceId: (l: LocationRec, _a, rc) => legacy(rc, "Location", l.seq),
    name: (l: LocationRec) => l.name,
    isActive: (l: LocationRec) => l.isActive,
    isPrimary: (l: LocationRec, _a, rc) => rc.shop.locations.find((x) => x.isActive) === l,
    fulfillsOnlineOrders: (l: LocationRec) => l.fulfillsOnlineOrders,
    shipsInventory: () => true,
    hasActiveInventory: (l: LocationRec, _a, rc) => l.isActive && (rc.shop.levels[l.seq]?.available.length ?? 0) > 0,
    createdAt: (l: LocationRec) => iso(l.createdAt),
    updatedAt: (l: LocationRec) => iso(l.updatedAt),
    deactivatedAt: (l: LocationRec) => (l.isActive ? null : iso(l.updatedAt)),
    address: (l: LocationRec) => address(l.address),
    inventoryLevel: (l: LocationRec, a, rc) => {
      const item = seqFromGid(rc, "InventoryItem", a.inventoryItemId);
      return item !== undefined && levelExists(rc, item, l.seq) ? levelRef(item, l.seq) : null;
    },
    inventoryLevels: conn((l: LocationRec, a, rc) => {
      requireScope(rc, "read_inventory", "inventoryLevels");
      // Item sequences stocked here, cached until the shop changes: a location can hold 500,000 levels,
      // so pages are read from this index rather than from 500,000 level objects.
      const seqs = rc.store.cached(rc.shop, `levels:${l.seq}`, () => {
        const col = rc.shop.levels[l.seq]!;
        const out: number[] = [];
        for (let i = 0; i < rc.shop.variants.length; i++)
          if (col.available[i] !== undefined && rc.shop.variants[i]) out.push(i);
        return Int32Array.from(out);
      });
      let filtered: ArrayLike<number> = seqs;
      if (typeof a.query === "string" && a.query.trim()) {
        const col = rc.shop.levels[l.seq]!;
        const compiled = compileSearch<number>(a.query, {
          updated_at: { kind: "date", get: (i) => col.updatedAt[i] ?? null },
          inventory_item_id: { kind: "id", get: (i) => makeId("InventoryItem", rc.shop.no, i) },
          sku: { kind: "string", get: (i) => rc.shop.variants[i]?.sku ?? null },
        });
        if (compiled.warnings.length)
          rc.searchWarnings.push({ path: ["inventoryLevels"], query: a.query, warnings: compiled.warnings });
        filtered = Array.from(seqs).filter(compiled.match);
      }
      const f = filtered;
      return levelList(rc, (i) => levelRef(f[i]!, l.seq), f.length, a) as ListSpec<unknown>;
    }),
  },
  LocationAddress: plain(
    "address1",
    "address2",
    "city",
    "country",
    "countryCode",
    "phone",
    "province",
    "provinceCode",
    "zip",
    "formatted",
    "latitude",
    "longitude",
  ),
};
