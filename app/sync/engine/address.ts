// One spelling for an order's billing/shipping address in our Json columns, whichever source wrote it:
// GraphQL's MailingAddress (camelCase, countryCodeV2) and REST's snake_case object map to the same
// keys, so a webhook and the sync write identical rows.
import { z } from "zod";
import { z as zv4 } from "zod/v4";
import { text as textV4 } from "./graphql-input";
import { text } from "./input";

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

/** zod v4, as the rest of the GraphQL mapper (graphql-input.ts says why). */
export const graphqlAddress = zv4
  .object({
    firstName: textV4,
    lastName: textV4,
    name: textV4,
    company: textV4,
    address1: textV4,
    address2: textV4,
    city: textV4,
    province: textV4,
    provinceCode: textV4,
    country: textV4,
    countryCodeV2: textV4,
    zip: textV4,
    phone: textV4,
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

export const restAddress = z
  .object({
    first_name: text,
    last_name: text,
    name: text,
    company: text,
    address1: text,
    address2: text,
    city: text,
    province: text,
    province_code: text,
    country: text,
    country_code: text,
    zip: text,
    phone: text,
  })
  .transform((a): OrderAddress => ({
    firstName: a.first_name,
    lastName: a.last_name,
    name: a.name,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.province_code,
    country: a.country,
    countryCode: a.country_code,
    zip: a.zip,
    phone: a.phone,
  }))
  .nullable()
  .optional()
  .transform((value) => value ?? null);
