// The two ways the tests compare a store's mirror: with the emulator's store (what Shopify has,
// read from its state directly, not through the app's queries or mappers), and with another store's
// mirror (two stores fed the same changes in different orders must converge).
import { expect } from "vitest";
import { storeDump, type RunningEmulator } from "../../tools/shopify-emulator/src/testing";

const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);
/** The emulator's times are ISO-8601 without milliseconds; the database's are Dates. */
const time = (value: string | null) => (value === null ? null : new Date(value).toISOString());
const cents = (amount: string) => Math.round(Number(amount) * 100);
const tags = (list: string[]) => (list.length ? list.join(", ") : null);
type StoreAddress = ReturnType<typeof storeDump>["orders"][number]["billingAddress"];
/** An order address as the mirror keeps it (app/sync/engine/address.ts): Shopify's MailingAddress
 * fields, `name` being first and last name (as the emulator's Admin API answers it). */
const mirroredAddress = (a: StoreAddress) =>
  a && {
    firstName: a.firstName,
    lastName: a.lastName,
    name: [a.firstName, a.lastName].filter(Boolean).join(" ") || null,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province: a.province,
    provinceCode: a.provinceCode,
    country: a.country,
    countryCode: a.countryCode,
    zip: a.zip,
    phone: a.phone,
  };

/**
 * The database equals the emulator's store, field by field for every mapped field: products with
 * variants, locations, inventory levels, orders (with their billing and shipping addresses) and line
 * items. Ids are compared as GIDs (exact
 * beyond 2^53), money as minor units (Shopify's MoneyV2 drops trailing zeros). A deleted product stays
 * as a tombstone row (`deletedAt`): exactly the GIDs in `tombstones` may be tombstoned (none by default),
 * and the live rows are compared with the store.
 */
export async function expectMirrorEqualsStore(
  emulator: RunningEmulator,
  shop: string,
  storeId: number,
  { tombstones = [] }: { tombstones?: readonly string[] } = {},
) {
  const { db } = await import("~/db.server");
  const shopRec = emulator.store.getShop(shop);
  if (!shopRec) throw new Error(`emulator has no shop ${shop}`);
  const dump = storeDump(shopRec);
  const gid = (type: string, id: string | null) => (id === null ? null : `gid://shopify/${type}/${id}`);
  const byId = <T extends { shopifyId: string }>(rows: T[]) =>
    [...rows].sort((a, b) => a.shopifyId.localeCompare(b.shopifyId));
  const sortBy = <T>(rows: T[], key: (row: T) => string) => [...rows].sort((a, b) => key(a).localeCompare(key(b)));

  const rows = await db.shopifyProduct.findMany({ where: { storeId } });
  expect(
    rows
      .filter((p) => p.deletedAt)
      .map((p) => p.shopifyId)
      .sort(),
  ).toEqual([...tombstones].sort());
  const products = rows.filter((p) => !p.deletedAt);
  expect(
    byId(products).map((p) => ({
      shopifyId: p.shopifyId,
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status,
      tags: p.tags,
      createdAt: iso(p.shopifyCreatedAt),
      updatedAt: iso(p.shopifyUpdatedAt),
      publishedAt: iso(p.publishedAt),
    })),
  ).toEqual(
    sortBy(dump.products, (p) => p.gid).map((p) => ({
      shopifyId: p.gid,
      title: p.title,
      handle: p.handle,
      vendor: p.vendor,
      productType: p.productType,
      status: p.status,
      tags: tags(p.tags),
      createdAt: time(p.createdAt),
      updatedAt: time(p.updatedAt),
      publishedAt: time(p.publishedAt),
    })),
  );

  const variants = await db.shopifyProductVariant.findMany({ where: { storeId } });
  expect(
    byId(variants).map((v) => ({
      shopifyId: v.shopifyId,
      productId: v.productId,
      title: v.title,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      position: v.position,
      inventoryItemId: v.inventoryItemId,
      inventoryPolicy: v.inventoryPolicy,
      inventoryQuantity: v.inventoryQuantity,
      selectedOptions: v.selectedOptions,
      taxable: v.taxable,
      createdAt: iso(v.shopifyCreatedAt),
      updatedAt: iso(v.shopifyUpdatedAt),
    })),
  ).toEqual(
    sortBy(
      dump.products.flatMap((p) => p.variants),
      (v) => v.gid,
    ).map((v) => ({
      shopifyId: v.gid,
      productId: gid("Product", v.productId),
      title: v.title,
      sku: v.sku,
      barcode: v.barcode,
      price: v.price,
      compareAtPrice: v.compareAtPrice,
      position: v.position,
      inventoryItemId: gid("InventoryItem", v.inventoryItemId),
      inventoryPolicy: v.inventoryPolicy,
      inventoryQuantity: v.inventoryQuantity,
      selectedOptions: v.selectedOptions,
      taxable: v.taxable,
      createdAt: time(v.createdAt),
      updatedAt: time(v.updatedAt),
    })),
  );

  const locations = await db.shopifyLocation.findMany({ where: { storeId } });
  expect(
    byId(locations).map((l) => ({
      shopifyId: l.shopifyId,
      name: l.name,
      isActive: l.isActive,
      city: (l.address as { city?: string } | null)?.city ?? null,
      updatedAt: iso(l.shopifyUpdatedAt),
    })),
  ).toEqual(
    sortBy(dump.locations, (l) => l.gid).map((l) => ({
      shopifyId: l.gid,
      name: l.name,
      isActive: l.isActive,
      city: l.address.city ?? null,
      updatedAt: time(l.updatedAt),
    })),
  );

  const levels = await db.shopifyInventoryLevel.findMany({ where: { storeId } });
  const levelKey = (item: string, location: string) => `${item}|${location}`;
  expect(
    sortBy(
      levels.map((l) => ({
        key: levelKey(l.inventoryItemId, l.locationId),
        shopifyId: l.shopifyId,
        available: l.available,
        onHand: l.onHand,
        committed: l.committed,
        updatedAt: iso(l.shopifyUpdatedAt),
      })),
      (l) => l.key,
    ),
  ).toEqual(
    sortBy(
      dump.inventoryLevels.map((l) => ({
        key: levelKey(gid("InventoryItem", l.inventoryItemId) ?? "", gid("Location", l.locationId) ?? ""),
        shopifyId: l.gid,
        available: l.available,
        onHand: l.onHand,
        committed: l.committed,
        updatedAt: time(l.updatedAt),
      })),
      (l) => l.key,
    ),
  );

  const orders = await db.shopifyOrder.findMany({ where: { storeId } });
  expect(
    byId(orders).map((o) => ({
      shopifyId: o.shopifyId,
      name: o.name,
      orderNumber: o.orderNumber,
      email: o.email,
      phone: o.phone,
      customerId: o.customerId,
      customerFirstName: o.customerFirstName,
      customerLastName: o.customerLastName,
      financialStatus: o.financialStatus,
      fulfillmentStatus: o.fulfillmentStatus,
      currencyCode: o.currencyCode,
      totalPriceMinor: Number(o.totalPriceMinor),
      subtotal: o.subtotalPrice === null ? null : cents(o.subtotalPrice),
      tax: o.totalTax === null ? null : cents(o.totalTax),
      discounts: o.totalDiscounts === null ? null : cents(o.totalDiscounts),
      test: o.test,
      tags: o.tags,
      processedAt: iso(o.processedAt),
      cancelledAt: iso(o.cancelledAt),
      cancelReason: o.cancelReason,
      closedAt: iso(o.closedAt),
      createdAt: iso(o.shopifyCreatedAt),
      updatedAt: iso(o.shopifyUpdatedAt),
      billingAddress: o.billingAddress,
      shippingAddress: o.shippingAddress,
    })),
  ).toEqual(
    sortBy(dump.orders, (o) => o.gid).map((o) => ({
      shopifyId: o.gid,
      name: o.name,
      orderNumber: o.number,
      email: o.email,
      phone: o.phone,
      customerId: o.customer?.gid ?? null,
      customerFirstName: o.customer?.firstName ?? null,
      customerLastName: o.customer?.lastName ?? null,
      financialStatus: o.displayFinancialStatus,
      fulfillmentStatus: o.displayFulfillmentStatus,
      currencyCode: o.currencyCode,
      totalPriceMinor: cents(o.totalPrice),
      subtotal: cents(o.subtotalPrice),
      tax: cents(o.totalTax),
      discounts: cents(o.totalDiscounts),
      test: o.test,
      tags: tags(o.tags),
      processedAt: time(o.processedAt),
      cancelledAt: time(o.cancelledAt),
      cancelReason: o.cancelReason,
      closedAt: time(o.closedAt),
      createdAt: time(o.createdAt),
      updatedAt: time(o.updatedAt),
      billingAddress: mirroredAddress(o.billingAddress),
      shippingAddress: mirroredAddress(o.shippingAddress),
    })),
  );

  const lineItems = await db.shopifyOrderLineItem.findMany({ where: { storeId } });
  expect(
    byId(lineItems).map((li) => ({
      shopifyId: li.shopifyId,
      orderId: li.orderId,
      productId: li.productId,
      variantId: li.variantId,
      title: li.title,
      variantTitle: li.variantTitle,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      currentQuantity: li.currentQuantity,
      unitPriceMinor: Number(li.unitPriceMinor),
      orderUpdatedAt: iso(li.orderUpdatedAt),
    })),
  ).toEqual(
    sortBy(
      dump.orders.flatMap((o) => o.lineItems.map((li) => ({ li, o }))),
      ({ li }) => li.gid,
    ).map(({ li, o }) => ({
      shopifyId: li.gid,
      orderId: o.gid,
      productId: gid("Product", li.productId),
      variantId: gid("ProductVariant", li.variantId),
      title: li.title,
      variantTitle: li.variantTitle,
      sku: li.sku,
      vendor: li.vendor,
      quantity: li.quantity,
      currentQuantity: li.currentQuantity,
      unitPriceMinor: cents(li.originalUnitPrice),
      orderUpdatedAt: time(o.updatedAt),
    })),
  );
  return {
    products: products.length,
    variants: variants.length,
    locations: locations.length,
    inventoryLevels: levels.length,
    orders: orders.length,
    lineItems: lineItems.length,
  };
}

type Row = Record<string, unknown>;

/** A row without the columns that name the store or the moment of the write. */
function comparable(row: Row): Row {
  const { storeId: _storeId, syncedAt: _syncedAt, ...rest } = row;
  return rest;
}

const byKey = (key: (row: Row) => string) => (a: Row, b: Row) => key(a).localeCompare(key(b));

/** Every mirrored row of one store (products, variants, orders, line items, inventory levels), sorted
 * by primary key, without storeId/syncedAt: two stores that converged give equal snapshots. */
export async function storeSnapshot(storeId: number) {
  const { db } = await import("~/db.server");
  const where = { storeId };
  const id = (row: Row) => String(row.shopifyId);
  return {
    products: (await db.shopifyProduct.findMany({ where })).map(comparable).sort(byKey(id)),
    variants: (await db.shopifyProductVariant.findMany({ where })).map(comparable).sort(byKey(id)),
    orders: (await db.shopifyOrder.findMany({ where })).map(comparable).sort(byKey(id)),
    lineItems: (await db.shopifyOrderLineItem.findMany({ where })).map(comparable).sort(byKey(id)),
    inventoryLevels: (await db.shopifyInventoryLevel.findMany({ where }))
      .map(comparable)
      .sort(byKey((row) => `${String(row.inventoryItemId)}|${String(row.locationId)}`)),
  };
}
