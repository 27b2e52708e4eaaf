// Shop, ShopPlan and Domain.
import { gid, makeId } from "../../state/ids";
import { type ShopRec } from "../../state/model";
import { iso } from "../../state/views";
import { type FieldDef, PLAN_NAMES, tzAbbreviation } from "./shared";

export const SHOP_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  Shop: {
    id: (s: ShopRec) => gid("Shop", makeId("Shop", s.no, 0)),
    name: (s: ShopRec) => s.name,
    email: (s: ShopRec) => s.email,
    contactEmail: (s: ShopRec) => s.email,
    myshopifyDomain: (s: ShopRec) => s.domain,
    url: (s: ShopRec) => `https://${s.primaryDomainHost}`,
    currencyCode: (s: ShopRec) => s.currencyCode,
    enabledPresentmentCurrencies: (s: ShopRec) => [s.currencyCode],
    ianaTimezone: (s: ShopRec) => s.ianaTimezone,
    timezoneAbbreviation: (s: ShopRec) => tzAbbreviation(s.ianaTimezone),
    weightUnit: () => "KILOGRAMS",
    taxesIncluded: () => false,
    createdAt: (s: ShopRec) => iso(s.createdAt),
    updatedAt: (s: ShopRec) => iso(s.updatedAt),
    plan: (s: ShopRec) => s,
    primaryDomain: (s: ShopRec) => ({ __shop: s }),
  },
  ShopPlan: {
    // Shopify's public names for the three API tiers the emulator models.
    displayName: (s: ShopRec) => PLAN_NAMES[s.plan],
    publicDisplayName: (s: ShopRec) => PLAN_NAMES[s.plan],
    partnerDevelopment: () => false,
    shopifyPlus: (s: ShopRec) => s.plan === "plus",
  },
  Domain: {
    id: (d: { __shop: ShopRec }) => gid("Shop", `${makeId("Shop", d.__shop.no, 0)}`).replace("/Shop/", "/Domain/"),
    host: (d: { __shop: ShopRec }) => d.__shop.primaryDomainHost,
    url: (d: { __shop: ShopRec }) => `https://${d.__shop.primaryDomainHost}`,
    sslEnabled: () => true,
  },
};
