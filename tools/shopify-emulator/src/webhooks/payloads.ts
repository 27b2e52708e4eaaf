// StoreChange → the REST-shaped, snake_case body Shopify sends for that topic, modelled field by field
// (and key order) on Shopify's published samples (test-fixtures/webhook-samples). The store's views
// carry ids as decimal strings; here they become bigint so stringifyPayload writes them as exact JSON
// integers, like Shopify does, including the ones above 2^53.
import type {
  BulkOperationView,
  CustomerView,
  InventoryLevelView,
  LineItemView,
  OrderView,
  ProductView,
  ShopView,
  VariantView,
} from "../state/views";
import type { StoreChange } from "../context";
import { isProtectedTopic, redactOrderPayload, type CustomerDataAccess } from "../customer-data";
import { stringifyPayload } from "./json";

type Address = NonNullable<OrderView["billingAddress"]>;

const big = (id: string | null | undefined): bigint | null => (id == null || id === "" ? null : BigInt(id));

/** Shopify writes REST times with an offset ("2021-12-31T19:00:00-05:00"), never "Z". The emulator's
 * shops run on UTC offsets. */
export function restTime(iso: string | null | undefined): string | null {
  if (!iso) return null;
  return iso.replace(/\.\d+Z$/, "Z").replace(/Z$/, "+00:00");
}

const lower = (value: string | null | undefined): string | null => (value == null ? null : value.toLowerCase());

function moneySet(amount: string, currency: string) {
  const money = { amount, currency_code: currency };
  return { shop_money: money, presentment_money: { ...money } };
}

function cents(amount: string): number {
  const [whole = "0", frac = ""] = amount.replace("-", "").split(".");
  const value = Number(whole) * 100 + Number((frac + "00").slice(0, 2));
  return amount.startsWith("-") ? -value : value;
}

function address(a: Address | null) {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ");
  return {
    first_name: a.firstName,
    address1: a.address1,
    phone: a.phone,
    city: a.city,
    zip: a.zip,
    province: a.province,
    country: a.country,
    last_name: a.lastName,
    address2: a.address2,
    company: a.company,
    latitude: null,
    longitude: null,
    name,
    country_code: a.countryCode,
    province_code: a.provinceCode,
  };
}

function customer(c: CustomerView | null, currency: string, billing: Address | null) {
  if (!c) return null;
  const id = big(c.id);
  return {
    id,
    created_at: restTime(c.createdAt),
    updated_at: restTime(c.updatedAt),
    first_name: c.firstName,
    last_name: c.lastName,
    state: "enabled",
    note: null,
    verified_email: true,
    multipass_identifier: null,
    tax_exempt: false,
    email: c.email,
    phone: c.phone,
    currency,
    tax_exemptions: [],
    admin_graphql_api_id: c.gid,
    default_address: billing
      ? {
          customer_id: id,
          first_name: billing.firstName,
          last_name: billing.lastName,
          company: billing.company,
          address1: billing.address1,
          address2: billing.address2,
          city: billing.city,
          province: billing.province,
          country: billing.country,
          zip: billing.zip,
          phone: billing.phone,
          name: [billing.firstName, billing.lastName].filter(Boolean).join(" "),
          province_code: billing.provinceCode,
          country_code: billing.countryCode,
          country_name: billing.country,
          default: true,
        }
      : null,
  };
}

function lineItem(li: LineItemView, currency: string, fulfilled: boolean) {
  const taxCents = cents(li.tax);
  return {
    id: big(li.id),
    admin_graphql_api_id: li.gid,
    attributed_staffs: [],
    current_quantity: li.currentQuantity,
    fulfillable_quantity: fulfilled ? 0 : li.currentQuantity,
    fulfillment_service: "manual",
    fulfillment_status: fulfilled ? "fulfilled" : null,
    gift_card: false,
    grams: 0,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    price: li.originalUnitPrice,
    price_set: moneySet(li.originalUnitPrice, currency),
    product_exists: li.productId !== null,
    product_id: big(li.productId),
    properties: [],
    quantity: li.quantity,
    requires_shipping: true,
    sales_line_item_group_id: null,
    sku: li.sku,
    taxable: li.taxable,
    title: li.title,
    total_discount: li.totalDiscount,
    total_discount_set: moneySet(li.totalDiscount, currency),
    variant_id: big(li.variantId),
    variant_inventory_management: li.variantId ? "shopify" : null,
    variant_title: li.variantTitle,
    vendor: li.vendor,
    tax_lines: taxCents
      ? [{ channel_liable: false, price: li.tax, price_set: moneySet(li.tax, currency), rate: 0, title: "Tax" }]
      : [],
    duties: [],
    discount_allocations: [],
  };
}

const FULFILLMENT_STATUS: Record<string, string | null> = {
  FULFILLED: "fulfilled",
  PARTIALLY_FULFILLED: "partial",
  UNFULFILLED: null,
  IN_PROGRESS: null,
};

export function orderPayload(o: OrderView, shop: string) {
  const cur = o.currencyCode;
  const id = big(o.id)!;
  const paid = ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(o.displayFinancialStatus);
  const token = id.toString(16).padStart(32, "0").slice(-32);
  const fulfilled = o.displayFulfillmentStatus === "FULFILLED";
  const shipping = o.totalShippingPrice;
  return {
    id,
    admin_graphql_api_id: o.gid,
    app_id: null,
    browser_ip: null,
    buyer_accepts_marketing: false,
    cancel_reason: lower(o.cancelReason),
    cancelled_at: restTime(o.cancelledAt),
    cart_token: null,
    checkout_token: null,
    client_details: null,
    closed_at: restTime(o.closedAt),
    confirmation_number: null,
    confirmed: true,
    contact_email: o.email,
    created_at: restTime(o.createdAt),
    currency: cur,
    current_shipping_price_set: moneySet(shipping, cur),
    current_subtotal_price: o.subtotalPrice,
    current_subtotal_price_set: moneySet(o.subtotalPrice, cur),
    current_total_additional_fees_set: null,
    current_total_discounts: o.totalDiscounts,
    current_total_discounts_set: moneySet(o.totalDiscounts, cur),
    current_total_duties_set: null,
    current_total_price: o.totalPrice,
    current_total_price_set: moneySet(o.totalPrice, cur),
    current_total_tax: o.totalTax,
    current_total_tax_set: moneySet(o.totalTax, cur),
    customer_locale: "en",
    device_id: null,
    discount_codes: [],
    duties_included: false,
    email: o.email,
    estimated_taxes: false,
    financial_status: lower(o.displayFinancialStatus),
    fulfillment_status: FULFILLMENT_STATUS[o.displayFulfillmentStatus] ?? null,
    landing_site: null,
    landing_site_ref: null,
    location_id: null,
    merchant_of_record_app_id: null,
    name: o.name,
    note: o.note,
    note_attributes: [],
    number: o.number - 1000,
    order_number: o.number,
    order_status_url: `https://${shop}/orders/${token}/authenticate?key=${token.slice(0, 16)}`,
    original_total_additional_fees_set: null,
    original_total_duties_set: null,
    payment_gateway_names: ["bogus"],
    phone: o.phone,
    po_number: null,
    presentment_currency: cur,
    processed_at: restTime(o.processedAt),
    reference: null,
    referring_site: null,
    source_identifier: null,
    source_name: "web",
    source_url: null,
    subtotal_price: o.subtotalPrice,
    subtotal_price_set: moneySet(o.subtotalPrice, cur),
    tags: o.tags.join(", "),
    tax_exempt: false,
    tax_lines: cents(o.totalTax)
      ? [{ price: o.totalTax, rate: 0, title: "Tax", price_set: moneySet(o.totalTax, cur), channel_liable: false }]
      : [],
    taxes_included: false,
    test: o.test,
    token,
    total_cash_rounding_payment_adjustment_set: moneySet("0.00", cur),
    total_cash_rounding_refund_adjustment_set: moneySet("0.00", cur),
    total_discounts: o.totalDiscounts,
    total_discounts_set: moneySet(o.totalDiscounts, cur),
    total_line_items_price: o.totalLineItemsPrice,
    total_line_items_price_set: moneySet(o.totalLineItemsPrice, cur),
    total_outstanding: paid || o.cancelledAt ? "0.00" : o.totalPrice,
    total_price: o.totalPrice,
    total_price_set: moneySet(o.totalPrice, cur),
    total_shipping_price_set: moneySet(shipping, cur),
    total_tax: o.totalTax,
    total_tax_set: moneySet(o.totalTax, cur),
    total_tip_received: "0.00",
    total_weight: 0,
    updated_at: restTime(o.updatedAt),
    user_id: null,
    billing_address: address(o.billingAddress),
    customer: customer(o.customer, cur, o.billingAddress),
    discount_applications: [],
    fulfillments: [],
    line_items: o.lineItems.map((li) => lineItem(li, cur, fulfilled)),
    payment_terms: null,
    refunds: [],
    shipping_address: address(o.shippingAddress),
    shipping_lines: cents(shipping)
      ? [
          {
            carrier_identifier: null,
            code: "Standard",
            current_discounted_price_set: moneySet(shipping, cur),
            discounted_price: shipping,
            discounted_price_set: moneySet(shipping, cur),
            is_removed: false,
            phone: null,
            price: shipping,
            price_set: moneySet(shipping, cur),
            requested_fulfillment_service_id: null,
            source: "shopify",
            title: "Standard",
            tax_lines: [],
            discount_allocations: [],
          },
        ]
      : [],
    returns: [],
    line_item_groups: [],
  };
}

function variant(v: VariantView) {
  const option = (i: number) => v.selectedOptions[i]?.value ?? null;
  return {
    admin_graphql_api_id: v.gid,
    barcode: v.barcode,
    compare_at_price: v.compareAtPrice,
    created_at: restTime(v.createdAt),
    id: big(v.id),
    inventory_policy: lower(v.inventoryPolicy),
    position: v.position,
    price: v.price,
    product_id: big(v.productId),
    sku: v.sku,
    taxable: v.taxable,
    title: v.title,
    updated_at: restTime(v.updatedAt),
    option1: option(0),
    option2: option(1),
    option3: option(2),
    image_id: null,
    inventory_item_id: big(v.inventoryItemId),
    inventory_quantity: v.inventoryQuantity,
    old_inventory_quantity: v.inventoryQuantity,
  };
}

export function productPayload(p: ProductView) {
  const id = big(p.id);
  return {
    admin_graphql_api_id: p.gid,
    body_html: p.descriptionHtml,
    created_at: restTime(p.createdAt),
    handle: p.handle,
    id,
    product_type: p.productType,
    published_at: restTime(p.publishedAt),
    template_suffix: null,
    title: p.title,
    updated_at: restTime(p.updatedAt),
    vendor: p.vendor,
    status: lower(p.status),
    published_scope: "web",
    tags: p.tags.join(", "),
    variants: p.variants.map(variant),
    options: p.options.map((o) => ({ product_id: id, name: o.name, position: o.position, values: o.values })),
    images: [],
    image: null,
    media: [],
    // Newest first, with milliseconds and "Z", as in Shopify's sample.
    variant_gids: [...p.variants]
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt))
      .map((v) => ({ admin_graphql_api_id: v.gid, updated_at: new Date(v.updatedAt).toISOString() })),
    has_variants_that_requires_components: false,
    category: null,
  };
}

export function inventoryLevelPayload(l: InventoryLevelView) {
  return {
    inventory_item_id: big(l.inventoryItemId),
    location_id: big(l.locationId),
    available: l.available,
    updated_at: restTime(l.updatedAt),
    admin_graphql_api_id: l.gid,
  };
}

const PLANS: Record<string, { display: string; name: string }> = {
  standard: { display: "Basic", name: "basic" },
  advanced: { display: "Advanced", name: "advanced" },
  plus: { display: "Shopify Plus", name: "shopify_plus" },
};

export function shopPayload(s: ShopView) {
  const plan = PLANS[s.plan] ?? { display: s.plan, name: s.plan };
  return {
    id: big(s.id),
    name: s.name,
    email: s.email,
    domain: s.primaryDomain,
    province: null,
    country: "US",
    address1: null,
    zip: null,
    city: null,
    source: null,
    phone: null,
    latitude: null,
    longitude: null,
    primary_locale: "en",
    address2: null,
    created_at: restTime(s.createdAt),
    updated_at: restTime(s.updatedAt),
    country_code: "US",
    country_name: "United States",
    currency: s.currencyCode,
    customer_email: s.email,
    timezone: `(GMT+00:00) ${s.ianaTimezone}`,
    iana_timezone: s.ianaTimezone,
    shop_owner: "Emulator Owner",
    money_format: "${{amount}}",
    money_with_currency_format: `\${{amount}} ${s.currencyCode}`,
    weight_unit: "kg",
    province_code: null,
    taxes_included: false,
    auto_configure_tax_inclusivity: null,
    tax_shipping: null,
    county_taxes: true,
    plan_display_name: plan.display,
    plan_name: plan.name,
    has_discounts: false,
    has_gift_cards: false,
    myshopify_domain: s.domain,
    google_apps_domain: null,
    google_apps_login_enabled: null,
    money_in_emails_format: "${{amount}}",
    money_with_currency_in_emails_format: `\${{amount}} ${s.currencyCode}`,
    eligible_for_payments: true,
    requires_extra_payments_agreement: false,
    password_enabled: false,
    has_storefront: true,
    finances: true,
    primary_location_id: null,
    checkout_api_supported: true,
    multi_location_enabled: true,
    setup_required: false,
    pre_launch_enabled: false,
    enabled_presentment_currencies: [s.currencyCode],
    marketing_sms_consent_enabled_at_checkout: false,
    transactional_sms_disabled: false,
  };
}

export function bulkOperationPayload(b: BulkOperationView) {
  // Lowercase status and error_code: that is what Shopify sends (unlike the GraphQL enums).
  return {
    admin_graphql_api_id: b.gid,
    completed_at: restTime(b.completedAt),
    created_at: restTime(b.createdAt),
    error_code: lower(b.errorCode),
    status: lower(b.status),
    type: lower(b.type),
  };
}

interface ComplianceResource {
  shopId: string;
  shopDomain: string;
  customer?: { id: string; email: string | null; phone: string | null };
  ordersRequested?: string[];
  ordersToRedact?: string[];
  dataRequest?: { id: string };
}

function complianceCustomer(c: ComplianceResource["customer"]) {
  return c ? { id: big(c.id), email: c.email, phone: c.phone } : null;
}

const snake = (key: string) => key.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`);

/** Topics without a dedicated shape: camelCase keys become snake_case, values pass through. */
function genericPayload(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(genericPayload);
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [snake(k), genericPayload(v)]));
  }
  return value;
}

export function payloadFor(topic: string, resource: unknown, shop: string): unknown {
  switch (topic) {
    case "orders/create":
    case "orders/updated":
    case "orders/paid":
    case "orders/cancelled":
    case "orders/fulfilled":
    case "orders/partially_fulfilled":
      return orderPayload(resource as OrderView, shop);
    case "products/create":
    case "products/update":
      return productPayload(resource as ProductView);
    case "products/delete":
      return { id: big((resource as { id: string }).id) };
    case "inventory_levels/update":
      return inventoryLevelPayload(resource as InventoryLevelView);
    case "app/uninstalled":
    case "shop/update":
      return shopPayload(resource as ShopView);
    case "app/scopes_update": {
      const r = resource as { id: string; previous: string[]; current: string[]; updatedAt: string };
      return { id: big(r.id), previous: r.previous, current: r.current, updated_at: restTime(r.updatedAt) };
    }
    case "customers/data_request": {
      const r = resource as ComplianceResource;
      return {
        shop_id: big(r.shopId),
        shop_domain: r.shopDomain,
        customer: complianceCustomer(r.customer),
        orders_requested: (r.ordersRequested ?? []).map(big),
        data_request: { id: big(r.dataRequest?.id) },
      };
    }
    case "customers/redact": {
      const r = resource as ComplianceResource;
      return {
        shop_id: big(r.shopId),
        shop_domain: r.shopDomain,
        customer: complianceCustomer(r.customer),
        orders_to_redact: (r.ordersToRedact ?? []).map(big),
      };
    }
    case "shop/redact": {
      const r = resource as ComplianceResource;
      return { shop_id: big(r.shopId), shop_domain: r.shopDomain };
    }
    case "bulk_operations/finish":
      return bulkOperationPayload(resource as BulkOperationView);
    default:
      return genericPayload(resource);
  }
}

/**
 * The exact body for a change. A string resource is taken as an already-serialized body. With the
 * app's protected customer data approval (`access`), an order's unapproved fields are null.
 */
export function bodyFor(change: Pick<StoreChange, "topic" | "resource" | "shop">, access?: CustomerDataAccess): string {
  if (typeof change.resource === "string") return change.resource;
  const payload = payloadFor(change.topic, change.resource, change.shop);
  const redacted =
    access && isProtectedTopic(change.topic) ? redactOrderPayload(payload as Record<string, unknown>, access) : payload;
  return stringifyPayload(redacted);
}
