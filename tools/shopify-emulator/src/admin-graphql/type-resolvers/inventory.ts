// InventoryItem, InventoryLevel and InventoryQuantity.
import { GraphQLError } from "graphql";
import { levelId, makeId } from "../../state/ids";
import { iso } from "../../state/views";
import { fromArray, type ListSpec } from "../connection";
import {
  type FieldDef,
  conn,
  plain,
  g,
  legacy,
  seqFromGid,
  type LevelRef,
  levelRef,
  levelExists,
  levelList,
  QUANTITY_NAMES,
  type ItemRef,
  itemRef,
} from "./shared";

export const INVENTORY_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  InventoryItem: {
    id: (x: ItemRef, _a, rc) => g(rc, "InventoryItem", x.v.seq),
    legacyResourceId: (x: ItemRef, _a, rc) => legacy(rc, "InventoryItem", x.v.seq),
    sku: (x: ItemRef) => x.v.sku,
    tracked: (x: ItemRef) => x.v.tracked,
    requiresShipping: () => true,
    createdAt: (x: ItemRef) => iso(x.v.createdAt),
    updatedAt: (x: ItemRef) => iso(x.v.itemUpdatedAt),
    variant: (x: ItemRef) => x.v,
    variants: conn(
      (x: ItemRef, a, rc) =>
        fromArray([x.v], {
          id: (v) => makeId("ProductVariant", rc.shop.no, v.seq),
          value: (v) => makeId("ProductVariant", rc.shop.no, v.seq),
          valueKind: "bigint",
          reverse: !!a.reverse,
        }) as ListSpec<unknown>,
    ),
    locationsCount: (x: ItemRef, _a, rc) => ({
      count: rc.shop.levels.filter((c) => c.available[x.v.seq] !== undefined).length,
      precision: "EXACT",
    }),
    inventoryLevel: (x: ItemRef, a, rc) => {
      const loc = seqFromGid(rc, "Location", a.locationId);
      return loc !== undefined && levelExists(rc, x.v.seq, loc) ? levelRef(x.v.seq, loc) : null;
    },
    inventoryLevels: conn((x: ItemRef, a, rc) => {
      const refs: LevelRef[] = [];
      rc.shop.locations.forEach((l, li) => {
        if ((a.includeInactive || l.isActive) && levelExists(rc, x.v.seq, li)) refs.push(levelRef(x.v.seq, li));
      });
      return levelList(rc, (i) => refs[i]!, refs.length, a) as ListSpec<unknown>;
    }),
  },

  InventoryLevel: {
    id: (l: LevelRef, _a, rc) =>
      `gid://shopify/InventoryLevel/${levelId(rc.shop.no, l.itemSeq, l.locIdx)}?inventory_item_id=${makeId("InventoryItem", rc.shop.no, l.itemSeq)}`,
    item: (l: LevelRef, _a, rc) => itemRef(rc.shop.variants[l.itemSeq]!),
    location: (l: LevelRef, _a, rc) => rc.shop.locations[l.locIdx],
    isActive: (l: LevelRef, _a, rc) => rc.shop.locations[l.locIdx]?.isActive ?? false,
    canDeactivate: () => true,
    createdAt: (l: LevelRef, _a, rc) => iso(rc.shop.levels[l.locIdx]?.createdAt[l.itemSeq] ?? 0),
    updatedAt: (l: LevelRef, _a, rc) => iso(rc.shop.levels[l.locIdx]?.updatedAt[l.itemSeq] ?? 0),
    quantities: (l: LevelRef, a, rc) => {
      const col = rc.shop.levels[l.locIdx]!;
      const available = col.available[l.itemSeq] ?? 0;
      const committed = col.committed[l.itemSeq] ?? 0;
      const updatedAt = iso(col.updatedAt[l.itemSeq] ?? 0);
      const lid = levelId(rc.shop.no, l.itemSeq, l.locIdx);
      const itemId = makeId("InventoryItem", rc.shop.no, l.itemSeq);
      return (a.names as string[]).map((name) => {
        if (!QUANTITY_NAMES.has(name))
          throw new GraphQLError(`The quantity name '${name}' is not valid.`, { extensions: { code: "BAD_REQUEST" } });
        const quantity =
          name === "available"
            ? available
            : name === "committed"
              ? committed
              : name === "on_hand"
                ? available + committed
                : 0;
        return {
          id: `gid://shopify/InventoryQuantity/${lid}?inventory_item_id=${itemId}&name=${name}`,
          name,
          quantity,
          updatedAt: name === "available" || name === "on_hand" || name === "committed" ? updatedAt : null,
        };
      });
    },
  },
  InventoryQuantity: plain("id", "name", "quantity", "updatedAt"),
};
