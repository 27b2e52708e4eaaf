// Product, its options and ProductVariant.
import { makeId } from "../../state/ids";
import { type ProductRec, type VariantRec } from "../../state/model";
import { formatMoney } from "../../state/money";
import { iso, isoOrNull, totalAvailable } from "../../state/views";
import { fromArray, type ListSpec } from "../connection";
import {
  type FieldDef,
  conn,
  plain,
  g,
  legacy,
  moneyV2,
  sortKeyNotImplemented,
  live,
  itemRef,
  VARIANT_SORTS,
  hash,
} from "./shared";

export const PRODUCTS_RESOLVERS: Record<string, Record<string, FieldDef>> = {
  Product: {
    id: (p: ProductRec, _a, rc) => g(rc, "Product", p.seq),
    legacyResourceId: (p: ProductRec, _a, rc) => legacy(rc, "Product", p.seq),
    title: (p: ProductRec) => p.title,
    handle: (p: ProductRec) => p.handle,
    vendor: (p: ProductRec) => p.vendor,
    productType: (p: ProductRec) => p.productType,
    status: (p: ProductRec) => p.status,
    tags: (p: ProductRec) => p.tags,
    descriptionHtml: (p: ProductRec) => p.descriptionHtml,
    bodyHtml: (p: ProductRec) => p.descriptionHtml,
    description: (p: ProductRec) => p.descriptionHtml.replace(/<[^>]*>/g, "").trim(),
    createdAt: (p: ProductRec) => iso(p.createdAt),
    updatedAt: (p: ProductRec) => iso(p.updatedAt),
    publishedAt: (p: ProductRec) => isoOrNull(p.publishedAt),
    templateSuffix: () => null,
    isGiftCard: () => false,
    onlineStoreUrl: (p: ProductRec, _a, rc) =>
      p.status === "ACTIVE" ? `https://${rc.shop.primaryDomainHost}/products/${p.handle}` : null,
    options: (p: ProductRec, a) => p.options.slice(0, a.first ?? undefined).map((o, i) => ({ p, o, i })),
    variants: conn((p: ProductRec, a, rc) => {
      const vs = live(p.variantSeqs.map((s) => rc.shop.variants[s]));
      const key = a.sortKey ?? "POSITION";
      const sort = VARIANT_SORTS[key];
      if (!sort) throw sortKeyNotImplemented(key);
      if (key !== "ID")
        vs.sort((x, y) =>
          sort.cmp ? sort.cmp(x, y) : String(sort.value(x, rc)).localeCompare(String(sort.value(y, rc))),
        );
      return fromArray(vs, {
        id: (v) => makeId("ProductVariant", rc.shop.no, v.seq),
        value: key === "ID" ? (v) => makeId("ProductVariant", rc.shop.no, v.seq) : (v) => sort.value(v, rc),
        valueKind: key === "ID" ? "bigint" : sort.kind,
        reverse: !!a.reverse,
      }) as ListSpec<unknown>;
    }),
    variantsCount: (p: ProductRec, _a, rc) => ({
      count: p.variantSeqs.filter((s) => rc.shop.variants[s]).length,
      precision: "EXACT",
    }),
    totalInventory: (p: ProductRec, _a, rc) =>
      p.variantSeqs.reduce((n, s) => n + (rc.shop.variants[s]?.tracked ? totalAvailable(rc.shop, s) : 0), 0),
    tracksInventory: (p: ProductRec, _a, rc) => p.variantSeqs.some((s) => rc.shop.variants[s]?.tracked),
    hasOnlyDefaultVariant: (p: ProductRec) =>
      p.options.length === 1 && p.options[0]?.values.length === 1 && p.options[0]?.values[0] === "Default Title",
    hasOutOfStockVariants: (p: ProductRec, _a, rc) =>
      p.variantSeqs.some((s) => rc.shop.variants[s]?.tracked && totalAvailable(rc.shop, s) <= 0),
    priceRangeV2: (p: ProductRec, _a, rc) => {
      const prices = live(p.variantSeqs.map((s) => rc.shop.variants[s])).map((v) => v.priceCents);
      const cur = rc.shop.currencyCode;
      return {
        minVariantPrice: moneyV2(Math.min(...prices, Infinity) === Infinity ? 0 : Math.min(...prices), cur),
        maxVariantPrice: moneyV2(Math.max(0, ...prices), cur),
      };
    },
  },
  ProductOption: {
    id: (x: { p: ProductRec; i: number }, _a, rc) => g(rc, "ProductOption", x.p.seq * 8 + x.i),
    name: (x: { o: { name: string } }) => x.o.name,
    position: (x: { i: number }) => x.i + 1,
    values: (x: { o: { values: string[] } }) => x.o.values,
    optionValues: (x: { p: ProductRec; o: { values: string[] }; i: number }) =>
      x.o.values.map((name) => ({ name, hasVariants: true, __id: `${x.p.seq}-${x.i}-${name}` })),
  },
  ProductOptionValue: {
    ...plain("name", "hasVariants"),
    id: (x: { __id: string }) => `gid://shopify/ProductOptionValue/${hash(x.__id)}`,
  },
  ProductPriceRangeV2: plain("minVariantPrice", "maxVariantPrice"),
  SelectedOption: plain("name", "value"),

  ProductVariant: {
    id: (v: VariantRec, _a, rc) => g(rc, "ProductVariant", v.seq),
    legacyResourceId: (v: VariantRec, _a, rc) => legacy(rc, "ProductVariant", v.seq),
    title: (v: VariantRec) => v.title,
    displayName: (v: VariantRec, _a, rc) => `${rc.shop.products[v.productSeq]?.title ?? ""} - ${v.title}`,
    sku: (v: VariantRec) => v.sku,
    barcode: (v: VariantRec) => v.barcode,
    price: (v: VariantRec) => formatMoney(v.priceCents),
    compareAtPrice: (v: VariantRec) => (v.compareAtPriceCents == null ? null : formatMoney(v.compareAtPriceCents)),
    position: (v: VariantRec) => v.position,
    inventoryPolicy: (v: VariantRec) => v.inventoryPolicy,
    inventoryQuantity: (v: VariantRec, _a, rc) => totalAvailable(rc.shop, v.seq),
    availableForSale: (v: VariantRec, _a, rc) =>
      rc.shop.products[v.productSeq]?.status === "ACTIVE" &&
      (!v.tracked || v.inventoryPolicy === "CONTINUE" || totalAvailable(rc.shop, v.seq) > 0),
    selectedOptions: (v: VariantRec, _a, rc) =>
      (rc.shop.products[v.productSeq]?.options ?? []).map((o, i) => ({ name: o.name, value: v.optionValues[i] ?? "" })),
    taxable: (v: VariantRec) => v.taxable,
    createdAt: (v: VariantRec) => iso(v.createdAt),
    updatedAt: (v: VariantRec) => iso(v.updatedAt),
    product: (v: VariantRec, _a, rc) => rc.shop.products[v.productSeq] ?? null,
    inventoryItem: (v: VariantRec) => itemRef(v),
  },
};
