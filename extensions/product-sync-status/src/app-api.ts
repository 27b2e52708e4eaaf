// The app's JSON API as the block calls it: relative URLs (Shopify resolves them against the app's
// application_url) with the session token as `Authorization: Bearer`. The store id the routes are
// scoped by comes from GET /api/v1/shopify/stores, which lists the token's shop's store only.

/** GET …/products/{id}/sync-status and POST …/products/{id}/resync answer `{ data: this }`. */
export interface ProductSyncStatus {
  product: { id: string; gid: string };
  mirror: {
    mirrored: boolean;
    deleted: boolean;
    title: string | null;
    syncedAt: string | null;
    syncedBy: string | null;
    variants: number;
    unitsAvailable: number;
  };
  shopify: { found: boolean; variants: number; unitsAvailable: number; complete: boolean } | null;
  agreement: {
    missingVariants: string[];
    extraVariants: string[];
    stockDifferences: Array<{
      inventoryItemId: string;
      locationId: string;
      mirror: number | null;
      shopify: number | null;
    }>;
    variantsAgree: boolean;
    stockAgrees: boolean;
  } | null;
  checkError: string | null;
}

export interface AppApiDeps {
  fetch: typeof fetch;
  /** A fresh session token (shopify.auth.idToken()). */
  idToken: () => Promise<string | null>;
}

export class AppApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = "AppApiError";
  }
}

export function createAppApi(deps: AppApiDeps) {
  let storeId: Promise<number> | undefined;

  async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
    const token = await deps.idToken();
    const headers = new Headers(init.headers);
    if (token) headers.set("Authorization", `Bearer ${token}`);
    const response = await deps.fetch(path, { ...init, headers });
    const body = (await response.json().catch(() => null)) as { data?: T; error?: { message?: string } } | null;
    if (!response.ok || !body || body.data === undefined) {
      throw new AppApiError(body?.error?.message ?? `HTTP ${response.status}`, response.status);
    }
    return body.data;
  }

  async function productPath(productGid: string): Promise<string> {
    storeId ??= call<Array<{ id: number }>>("/api/v1/shopify/stores").then((stores) => {
      const store = stores[0];
      if (!store) throw new AppApiError("Shop Sync is not connected to this store", 404);
      return store.id;
    });
    storeId.catch(() => (storeId = undefined)); // try again next time
    const productId = productGid.slice(productGid.lastIndexOf("/") + 1);
    return `/api/v1/shopify/stores/${await storeId}/products/${encodeURIComponent(productId)}`;
  }

  return {
    async status(productGid: string): Promise<ProductSyncStatus> {
      return call(`${await productPath(productGid)}/sync-status`);
    },
    async resync(productGid: string): Promise<ProductSyncStatus> {
      return call(`${await productPath(productGid)}/resync`, { method: "POST" });
    },
  };
}
export type AppApi = ReturnType<typeof createAppApi>;
