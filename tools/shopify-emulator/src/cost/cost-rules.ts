// The numbers of Shopify's Admin API cost model, as fitted to real charges
// (test-fixtures/cost-calibration/cases.jsonl). Each rule says what in the data requires it.
import { getNamedType, type GraphQLField, type GraphQLNamedType } from "graphql";

/** Shopify: "a connection costs 2 plus …". Covers pageInfo, cursors and the page lookup itself. */
export const CONNECTION_BASE_COST = 2;

/** Shopify: "mutations cost 10", per root mutation field. */
export const MUTATION_BASE_COST = 10;

/**
 * How many "node costs" a page of `size` items is charged: floor(2·ln(size)), at least 1.
 * Shopify's documented rule is linear in `first`, but every connection in the data fits this
 * logarithm exactly: f(1)=1, f(2)=1, f(3)=2, f(5)=3, f(10)=4, f(20)=5, f(25)=6, f(50)=7,
 * f(100)=9, f(250)=11 (e.g. `blogs(first: 250) { nodes { id } }` = 2 + 11 × 1 = 13).
 * `measured` is for the actual cost, where `size` is the number of items really returned.
 * A page size of 0 or a missing `first`/`last` is charged as 1 node.
 */
export function connectionMultiplier(size: number, measured: boolean): number {
  // Measured (actual cost): an empty page is charged only the connection's 2. A live capture:
  // `products(first: 3) { edges { node { id } } }` requested 2 + 2 × 1, charged 2 when it
  // returned no edge; `products(first: 10)` returning 3 nodes was charged 2 + f(3) × 1 = 4.
  if (measured && size <= 0) return 0;
  if (!(size > 1)) return 1;
  return Math.max(1, Math.floor(2 * Math.log(size)));
}

/**
 * The numbers Shopify sets by hand, fitted to the calibration set. Injectable so tests can drop
 * entries and check that the rest of the model does not depend on them (held-out folds).
 */
export interface CostTables {
  /** Object types charged 0 instead of 1 wherever they appear as a field's value. */
  freeTypes: ReadonlySet<string>;
  /** `Type.field` → the field's own cost (its selection is still charged on top). */
  fieldOverrides: Readonly<Record<string, number>>;
  /** Root mutation field → its flat price instead of 10. */
  mutationOverrides: Readonly<Record<string, number>>;
}

export const DEFAULT_COST_TABLES: CostTables = {
  freeTypes: new Set([
    // Money values live on the record that holds them (no extra lookup):
    // `order(id:) { totalPriceSet { shopMoney { amount } } }` costs 1, not 3 (7 such cases).
    "MoneyV2",
    "MoneyBag",
    // `inventoryItem { measurement { weight { value } } }` adds nothing: products(first: 3) with
    // it = 24, an inventory item node read with it = 27.
    "InventoryItemMeasurement",
    "Weight",
    // `collection { ruleSet { rules { column } } }` adds nothing (collection reads = 9, 16, 18;
    // collectionCreate with it = 16).
    "CollectionRuleSet",
    "CollectionRule",
    // `customer { emailMarketingConsent { … } smsMarketingConsent { … } }` add nothing
    // (customers(first: 250) { nodes { … } } = 178 = 2 + 11 × 16).
    "CustomerEmailMarketingConsentState",
    "CustomerSmsMarketingConsentState",
  ]),
  fieldOverrides: {
    // deliveryProfiles(first: 250) { edges { node { productVariantsCount { count } } } } = 123
    // = 2 + 11 × (1 + 10): a count without arguments that Shopify still prices as a search.
    "DeliveryProfile.productVariantsCount": 10,
    // storeCreditAccounts(first: 50) { nodes { id balance { amount } } } = 2 + 7 × (1 + 5): the
    // balance is computed from the account's transactions, not read from a column.
    "StoreCreditAccount.balance": 5,
    // A customer's default address is embedded in the customer record (9 cases: customer reads,
    // customers(first:) and nodes(ids:) all fit only with 0), unlike Order.shippingAddress,
    // DraftOrder.billingAddress or Customer.addressesV2 nodes, which cost 1.
    "Customer.defaultAddress": 0,
    // shop { shopAddress { countryCode } } = 1.
    "Shop.shopAddress": 0,
  },
  mutationOverrides: {
    // orderCapture { transaction { parentTransaction { id } } } = 21 in all 10 captures: priced
    // as two mutations (20) plus the parent transaction (1).
    orderCapture: 20,
  },
};

export function mutationBaseCost(mutationName: string, tables: CostTables): number {
  return tables.mutationOverrides[mutationName] ?? MUTATION_BASE_COST;
}

/** Cost of an object-typed field's value from its type (before per-field overrides). */
export function typeCost(type: GraphQLNamedType | undefined, tables: CostTables): number {
  if (!type) return 1;
  if (tables.freeTypes.has(type.name)) return 0;
  return 1;
}

/**
 * `Count` fields backed by a search (they take `query` or `limit`, and every root `*Count`) cost
 * 10: `customersCount { count }` alone = 10, three of them = 30. Counts of a record's own children
 * (`Company.contactsCount`, `Collection.productsCount`, `SellingPlanGroup.productsCount`) cost 1
 * like any object.
 */
const SEARCH_COUNT_COST = 10;

export function fieldCostOverride(
  parentName: string | undefined,
  fieldName: string,
  def: GraphQLField<unknown, unknown>,
  tables: CostTables,
): number | undefined {
  const override = tables.fieldOverrides[`${parentName}.${fieldName}`];
  if (override !== undefined) return override;
  if (getNamedType(def.type).name === "Count") {
    const searched = def.args.some((a) => a.name === "query" || a.name === "limit");
    if (searched || parentName === "QueryRoot") return SEARCH_COUNT_COST;
    return 1;
  }
  return undefined;
}
