// One spelling for an order's billing/shipping address in our Json columns, whichever source wrote it:
// GraphQL's MailingAddress (camelCase, countryCodeV2) and REST's snake_case object map to the same
// keys, so a webhook and the sync write identical rows.
import { z } from "zod/v4";
import { text } from "./graphql-input";
import type { RestFields } from "./rest-input";

export interface OrderAddress {
  firstName: string | null;
  lastName: string | null;
  name: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  province: string | null;
  provinceCode: string | null;
  country: string | null;
  countryCode: string | null;
  zip: string | null;
  phone: string | null;
}

/** A GraphQL MailingAddress (zod 4, as the rest of the GraphQL mapper: graphql-input.ts). */
export const graphqlAddress = z
  .object({
    firstName: text,
    lastName: text,
    name: text,
    company: text,
    address1: text,
    address2: text,
    city: text,
    province: text,
    provinceCode: text,
    country: text,
    countryCodeV2: text,
    zip: text,
    phone: text,
  })
  // The fields are checked, not normalised (graphql-input.ts): absent ones become null here.
  .transform((a): OrderAddress => ({
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    name: a.name ?? null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    province: a.province ?? null,
    provinceCode: a.provinceCode ?? null,
    country: a.country ?? null,
    countryCode: a.countryCodeV2 ?? null,
    zip: a.zip ?? null,
    phone: a.phone ?? null,
  }))
  .nullable()
  .optional()
  .transform((value) => value ?? null);

/** A REST (webhook) address object, read by rest-input.ts; null when absent. */
export function restAddress(a: RestFields | null): OrderAddress | null {
  if (!a) return null;
  return {
    firstName: a.text("first_name"),
    lastName: a.text("last_name"),
    name: a.text("name"),
    company: a.text("company"),
    address1: a.text("address1"),
    address2: a.text("address2"),
    city: a.text("city"),
    province: a.text("province"),
    provinceCode: a.text("province_code"),
    country: a.text("country"),
    countryCode: a.text("country_code"),
    zip: a.text("zip"),
    phone: a.text("phone"),
  };
}
