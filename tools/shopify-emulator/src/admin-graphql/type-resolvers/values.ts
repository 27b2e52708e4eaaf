// Value types many objects hold: MoneyBag, Count, PageInfo.
import { type FieldDef, plain } from "./shared";

export const VALUES_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  MoneyBag: plain("shopMoney", "presentmentMoney"),
  Count: plain("count", "precision"),
  PageInfo: plain("hasNextPage", "hasPreviousPage", "startCursor", "endCursor"),
};
