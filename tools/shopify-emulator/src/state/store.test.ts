import { EventEmitter } from "node:events";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { StoreChange } from "../context";
import { startCore, TEST_SHOP } from "../testing-core";
import { seedShop } from "./seed";
import { loadSnapshot, saveSnapshot } from "./snapshot";
import { Store } from "./store";
import { storeDump } from "./views";

function seeded(seed: string | number, domain = "det.myshopify.com") {
  const store = new Store(new EventEmitter(), () => Date.parse("2026-01-01T00:00:00Z"));
  const shop = store.createShop({ domain, createdAt: 0 });
  seedShop(store, shop, { seed, products: 50, orders: 40, locations: 2 });
  return { store, shop };
}

describe("store and seed", () => {
  it("is deterministic: same seed → same store, another seed → another store", () => {
    const a = JSON.stringify(storeDump(seeded(7).shop));
    expect(JSON.stringify(storeDump(seeded(7).shop))).toBe(a);
    expect(JSON.stringify(storeDump(seeded(8).shop))).not.toBe(a);
  });

  it("keeps order money consistent and references real variants", () => {
    const { shop } = seeded("money");
    const dump = storeDump(shop);
    const variantIds = new Set(dump.products.flatMap((p) => p.variants.map((v) => v.id)));
    const cents = (s: string) => Math.round(Number(s) * 100);
    for (const o of dump.orders) {
      const lines = o.lineItems.reduce((n, li) => n + li.quantity * cents(li.originalUnitPrice), 0);
      expect(cents(o.totalLineItemsPrice)).toBe(lines);
      expect(cents(o.totalPrice)).toBe(
        lines + cents(o.totalTax) - cents(o.totalDiscounts) + cents(o.totalShippingPrice),
      );
      expect(o.lineItems.reduce((n, li) => n + cents(li.totalDiscount), 0)).toBe(cents(o.totalDiscounts));
      for (const li of o.lineItems) expect(variantIds.has(li.variantId!)).toBe(true);
    }
    expect(dump.inventoryLevels).toHaveLength(variantIds.size * 2);
  });

  it("round-trips through a snapshot with identical ids", () => {
    const { store, shop } = seeded("snap");
    const file = join(mkdtempSync(join(tmpdir(), "emu-snap-")), "snap.json");
    saveSnapshot(store, file);
    const other = new Store(new EventEmitter(), () => 0);
    expect(loadSnapshot(other, file)).toBe(true);
    expect(JSON.stringify(storeDump(other.getShop(shop.domain)!))).toBe(JSON.stringify(storeDump(shop)));
  });
});

describe("control API activity emits what Shopify would", () => {
  it("products, inventory, orders, uninstall and privacy topics", async () => {
    const h = await startCore({ seed: "events", products: 5, orders: 3 });
    const changes: StoreChange[] = [];
    h.emu.ctx.events.on("change", (c: StoreChange) => changes.push(c));
    try {
      const base = `/__emulator/shops/${TEST_SHOP}`;
      const created = await h.control("POST", `${base}/products`, {
        title: "Emulated Board",
        options: [{ name: "Size", values: ["150", "155"] }],
        variants: [
          { sku: "EB-150", price: "399.00", options: ["150"], available: 4 },
          { sku: "EB-155", price: "409.00", options: ["155"], available: 2 },
        ],
      });
      expect(created.status).toBe(201);
      const v = created.body.variants[0];
      const store = (await h.control("GET", `${base}/store`)).body;
      const loc = store.locations[0];
      await h.control("POST", `${base}/inventory`, {
        inventoryItemId: v.inventoryItemId,
        locationId: loc.id,
        available: 11,
      });
      const order = await h.control("POST", `${base}/orders`, {
        lineItems: [{ variantId: v.gid, quantity: 2 }],
        customer: { email: "buyer@example.com", firstName: "Ada" },
        financialStatus: "PENDING",
        discount: "10.00",
      });
      expect(order.status).toBe(201);
      expect(order.body.totalPrice).toBe("851.04"); // 798.00 − 10.00 + 63.04 (8 % tax on 788.00)
      await h.control("POST", `${base}/orders/${order.body.id}/pay`);
      await h.control("POST", `${base}/orders/${order.body.id}/cancel`, { reason: "CUSTOMER" });
      await h.control("PATCH", `${base}/products/${created.body.id}`, { tags: ["b", "a"] });
      await h.control("POST", `${base}/customers/${order.body.customer.id}/data-request`);
      await h.control("POST", `${base}/customers/${order.body.customer.id}/redact`);
      await h.control("DELETE", `${base}/products/${created.body.id}`);
      await h.control("POST", `${base}/uninstall`);
      await h.control("POST", `${base}/redact`);
      expect(changes.map((c) => c.topic)).toEqual([
        "products/create",
        "inventory_levels/update",
        "orders/create",
        "inventory_levels/update",
        "orders/paid",
        "orders/updated",
        "orders/cancelled",
        "orders/updated",
        "inventory_levels/update",
        "products/update",
        "customers/data_request",
        "customers/redact",
        "products/delete",
        "app/uninstalled",
        "shop/redact",
      ]);
      expect(changes.every((c) => c.shop === TEST_SHOP && c.eventId)).toBe(true);
      // After uninstall the app's token is dead.
      expect((await h.gql(`{ shop { name } }`)).status).toBe(401);
    } finally {
      await h.emu.close();
    }
  });
});
