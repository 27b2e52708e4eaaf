import { describe, expect, it } from "vitest";
import { checkSignedDelivery, shopIdOf, type DeliveryClaims } from "./signed-delivery.server";
import { SUBSCRIBED_TOPICS, topicOfWebhookPath } from "./topics";

const SHOP = "acme.myshopify.com";

const claims = (overrides: Partial<DeliveryClaims>): DeliveryClaims => ({
  routeTopic: "shop/redact",
  headerTopic: "shop/redact",
  headerShop: SHOP,
  body: { shop_id: 954889, shop_domain: SHOP },
  knownShopId: null,
  ...overrides,
});

describe("checkSignedDelivery", () => {
  it("accepts a delivery whose headers, route and body agree", () => {
    expect(checkSignedDelivery(claims({}))).toBeNull();
    expect(checkSignedDelivery(claims({ knownShopId: "954889" }))).toBeNull();
    expect(checkSignedDelivery(claims({ body: { shop_id: 954889, shop_domain: "ACME.myshopify.com" } }))).toBeNull();
  });

  it("refuses a topic header that is not the route's topic", () => {
    expect(checkSignedDelivery(claims({ headerTopic: "products/update" }))?.event).toBe("topic_mismatch");
    expect(checkSignedDelivery(claims({ headerTopic: "SHOP_REDACT" }))?.event).toBe("topic_mismatch");
  });

  it.each(["shop/redact", "customers/redact", "customers/data_request"] as const)(
    "%s: refuses a body that names another shop, or none",
    (topic) => {
      const base = { routeTopic: topic, headerTopic: topic };
      expect(
        checkSignedDelivery(claims({ ...base, body: { shop_id: 1, shop_domain: "someone-else.myshopify.com" } }))
          ?.event,
      ).toBe("shop_mismatch");
      expect(checkSignedDelivery(claims({ ...base, body: { shop_id: 1 } }))?.event).toBe("shop_mismatch");
      expect(checkSignedDelivery(claims({ ...base, body: { id: 1, title: "T-shirt" } }))?.event).toBe("shop_mismatch");
    },
  );

  it("refuses one compliance topic's body on another's route", () => {
    const customer = { id: 1, email: "a@example.com", phone: null };
    const bodies = {
      "shop/redact": { shop_id: 1, shop_domain: SHOP },
      "customers/redact": { shop_id: 1, shop_domain: SHOP, customer, orders_to_redact: [1] },
      "customers/data_request": {
        shop_id: 1,
        shop_domain: SHOP,
        customer,
        orders_requested: [1],
        data_request: { id: 9 },
      },
    } as const;
    for (const [route, own] of Object.entries(bodies)) {
      for (const [topic, body] of Object.entries(bodies)) {
        const refusal = checkSignedDelivery(
          claims({ routeTopic: route as keyof typeof bodies, headerTopic: route, body }),
        );
        expect(refusal?.event ?? null, `${topic} body on ${route}`).toBe(body === own ? null : "body_mismatch");
      }
    }
  });

  it("refuses a compliance body whose shop_id is not the stored shop's", () => {
    const refusal = checkSignedDelivery(claims({ body: { shop_id: 1, shop_domain: SHOP }, knownShopId: "954889" }));
    expect(refusal?.event).toBe("shop_id_mismatch");
  });

  it("app/uninstalled: the Shop body's myshopify_domain (or domain, when it has none) must be the header's shop", () => {
    const uninstall = (body: unknown, knownShopId: string | null = null) =>
      checkSignedDelivery(claims({ routeTopic: "app/uninstalled", headerTopic: "app/uninstalled", body, knownShopId }));
    expect(uninstall({ id: 5, myshopify_domain: SHOP, domain: "shop.example.com" })).toBeNull();
    expect(uninstall({ id: 5, domain: SHOP })).toBeNull();
    expect(uninstall({ id: 5, myshopify_domain: "other.myshopify.com", domain: SHOP })?.event).toBe("shop_mismatch");
    expect(uninstall({ id: 5, myshopify_domain: null, domain: null })?.event).toBe("shop_mismatch");
    expect(uninstall({ id: 5, myshopify_domain: SHOP }, "6")?.event).toBe("shop_id_mismatch");
    expect(uninstall({ id: "6", myshopify_domain: SHOP }, "6")).toBeNull();
  });

  it("resource topics: the body must be about the route's kind of resource", () => {
    const product = { id: 1, title: "T", admin_graphql_api_id: "gid://shopify/Product/1", variants: [] };
    const order = { id: 2, admin_graphql_api_id: "gid://shopify/Order/2", cancelled_at: null };
    const at = (routeTopic: DeliveryClaims["routeTopic"], body: unknown) =>
      checkSignedDelivery(claims({ routeTopic, headerTopic: routeTopic, body }));
    expect(at("products/update", product)).toBeNull();
    expect(at("orders/create", order)).toBeNull();
    expect(at("orders/create", product)?.event).toBe("body_mismatch");
    expect(at("products/update", order)?.event).toBe("body_mismatch");
    expect(at("inventory_levels/update", order)?.event).toBe("body_mismatch");
    expect(at("bulk_operations/finish", order)?.event).toBe("body_mismatch");
    expect(at("orders/cancelled", order)?.event).toBe("body_mismatch");
    expect(at("orders/cancelled", { ...order, cancelled_at: "2026-01-01T00:00:00Z" })).toBeNull();
    // A product's own body would delete the product it describes.
    expect(at("products/delete", product)?.event).toBe("body_mismatch");
    expect(at("products/delete", { id: 788032119674292922n })).toBeNull();
    expect(at("products/delete", { id: 1, current: ["read_orders"] })?.event).toBe("body_mismatch");
    expect(at("app/scopes_update", { id: 1, previous: [], current: ["read_orders"] })).toBeNull();
    expect(at("app/scopes_update", order)?.event).toBe("body_mismatch");
    expect(at("products/update", [product])?.event).toBe("body_mismatch");
  });

  it("orders: an order_status_url on another myshopify.com shop is refused", () => {
    const order = (url: string) => ({ id: 2, admin_graphql_api_id: "gid://shopify/Order/2", order_status_url: url });
    const at = (body: unknown) =>
      checkSignedDelivery(claims({ routeTopic: "orders/updated", headerTopic: "orders/updated", body }));
    expect(at(order(`https://${SHOP}/548380009/orders/abc/authenticate?key=k`))).toBeNull();
    expect(at(order("https://shop.example.com/548380009/orders/abc/authenticate?key=k"))).toBeNull();
    expect(at(order("https://jsmith.myshopify.com/548380009/orders/abc/authenticate?key=k"))?.event).toBe(
      "shop_mismatch",
    );
  });

  it("shopIdOf reads a Shop GID", () => {
    expect(shopIdOf("gid://shopify/Shop/954889")).toBe("954889");
    expect(shopIdOf("gid://shopify/Order/1")).toBeNull();
    expect(shopIdOf(null)).toBeNull();
  });
});

describe("topicOfWebhookPath", () => {
  it("maps every subscribed topic's route path to its topic, and nothing else", () => {
    for (const topic of SUBSCRIBED_TOPICS) expect(topicOfWebhookPath(`/webhooks/${topic}`)).toBe(topic);
    expect(topicOfWebhookPath("/webhooks/shop/update")).toBeNull();
    expect(topicOfWebhookPath("/webhooks/../shop/redact")).toBeNull();
    expect(topicOfWebhookPath("/app/webhooks")).toBeNull();
  });
});
