// Tenant isolation at the data layer: through tenantDb(A), shop B's rows can be neither read nor
// changed, whatever the query asks for.
import { beforeAll, describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { TenantViolationError, tenantDb } from "./tenant.server";

let storeA: number;
let storeB: number;
const productB = "gid://shopify/Product/2002";

async function seedStore(shop: string, productId: string) {
  const store = await db.shopifyStore.create({ data: { shop, name: shop } });
  await tenantDb(store.id).shopifyProduct.create({
    data: {
      storeId: store.id,
      shopifyId: productId,
      title: `${shop} product`,
      shopifyUpdatedAt: new Date("2026-01-01T00:00:00Z"),
    },
  });
  return store.id;
}

beforeAll(async () => {
  storeA = await seedStore("tenant-a.myshopify.com", "gid://shopify/Product/1001");
  storeB = await seedStore("tenant-b.myshopify.com", productB);
});

describe("tenantDb", () => {
  it("reads only its own store's rows", async () => {
    const a = tenantDb(storeA);
    const rows = await a.shopifyProduct.findMany();
    expect(rows.map((row) => row.storeId)).toEqual([storeA]);
    expect(await a.shopifyProduct.count()).toBe(1);
    expect(await a.shopifyProduct.findFirst({ where: { shopifyId: productB } })).toBeNull();
    expect(
      await a.shopifyProduct.findUnique({ where: { storeId_shopifyId: { storeId: storeA, shopifyId: productB } } }),
    ).toBeNull();
  });

  it("refuses to be pointed at another store explicitly", async () => {
    const a = tenantDb(storeA);
    await expect(a.shopifyProduct.findMany({ where: { storeId: storeB } })).rejects.toThrow(TenantViolationError);
    await expect(
      a.shopifyProduct.findUnique({ where: { storeId_shopifyId: { storeId: storeB, shopifyId: productB } } }),
    ).resolves.toBeNull();
    await expect(
      a.shopifyProduct.create({
        data: { storeId: storeB, shopifyId: "gid://shopify/Product/9", title: "x", shopifyUpdatedAt: new Date() },
      }),
    ).rejects.toThrow(TenantViolationError);
  });

  it("cannot change or delete another store's rows", async () => {
    const a = tenantDb(storeA);
    const updated = await a.shopifyProduct.updateMany({ where: { shopifyId: productB }, data: { title: "hijacked" } });
    expect(updated.count).toBe(0);
    const deleted = await a.shopifyProduct.deleteMany({});
    expect(deleted.count).toBe(1); // its own product only
    const b = await tenantDb(storeB).shopifyProduct.findMany();
    expect(b).toHaveLength(1);
    expect(b[0]?.title).toBe("tenant-b.myshopify.com product");
  });

  it("refuses models that are not shop data, and a missing store id", () => {
    expect(() => tenantDb(0)).toThrow(TenantViolationError);
    expect(() => tenantDb(Number.NaN)).toThrow(TenantViolationError);
  });

  it("writes rows under its own store", async () => {
    const a = tenantDb(storeA);
    const row = await a.shopifyLocation.create({
      data: { storeId: storeA, shopifyId: "gid://shopify/Location/1", name: "Warehouse" },
    });
    expect(row.storeId).toBe(storeA);
    const rows = await a.shopifyLocation.createMany({
      data: [{ storeId: storeA, shopifyId: "gid://shopify/Location/2", name: "Shop floor" }],
    });
    expect(rows.count).toBe(1);
    expect(await tenantDb(storeB).shopifyLocation.count()).toBe(0);
  });
});
