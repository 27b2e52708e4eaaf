// The first step of every page loader/action and API route: authenticate the request and resolve the
// authenticated shop's store. The store id only ever comes from here (the verified session token's
// shop), never from the URL alone (docs/decisions/0005-tenant-isolation.md).
import type { ShopifyStore } from "@prisma/client";
import { z } from "zod";
import { AdminGraphqlClient } from "~/admin-api/client.server";
import { securityEvent } from "~/observability/security.server";
import { authenticate } from "~/shopify.server";
import { storeOfAuthenticatedShop } from "~/stores/install.server";

export type Store = ShopifyStore;

export function notFound(message = "Not found"): Response {
  return Response.json({ error: { code: "not_found", message } }, { status: 404 });
}

export function badRequest(message: string, issues?: unknown): Response {
  return Response.json({ error: { code: "bad_request", message, issues } }, { status: 400 });
}

/**
 * authenticate.admin, with its refusals of a session token (a thrown 401) logged and counted as a
 * security event (docs/decisions/0016-trust-boundary.md). Redirects and bounces pass through untouched.
 */
async function authenticateAdmin(request: Request) {
  try {
    return await authenticate.admin(request);
  } catch (thrown) {
    if (thrown instanceof Response && thrown.status === 401) {
      securityEvent("session_token_invalid", { reason: `${request.method} ${new URL(request.url).pathname}` });
    }
    throw thrown;
  }
}

/**
 * The authenticated shop's store, its install finished first if an earlier attempt was interrupted
 * (app/stores/install.server.ts); null while there is still no store connection.
 */
async function authenticatedStore(request: Request): Promise<Store | null> {
  return (await authenticatedRequest(request)).store;
}

/** authenticatedStore, and the library's CORS helper for the answer (extensionApi). */
async function authenticatedRequest(request: Request) {
  const { session, admin, cors } = await authenticateAdmin(request);
  return { store: await storeOfAuthenticatedShop(session.shop, () => new AdminGraphqlClient(admin)), cors };
}

/** A page request: the store, or null while the install has not recorded the store connection yet. */
export function pageStoreOrNull(request: Request): Promise<Store | null> {
  return authenticatedStore(request);
}

/** A page request that needs the store: 404 (the route's error boundary) when there is none. */
export async function pageStore(request: Request): Promise<Store> {
  const store = await pageStoreOrNull(request);
  if (!store) throw notFound("This store is not connected yet");
  return store;
}

/**
 * A detail page's record: the route's id parsed by `idParam`, then loaded for the authenticated store.
 * A malformed id and an id of no record of this store both answer 404 (`missing` names the record),
 * so another store's ids cannot be told from ids that do not exist.
 */
export async function pageRecord<Id, View>(
  request: Request,
  idText: string | undefined,
  idParam: z.ZodType<Id, z.ZodTypeDef, unknown>,
  load: (store: Store, id: Id) => Promise<View | null>,
  missing: string,
): Promise<View> {
  const store = await pageStore(request);
  const id = idParam.safeParse(idText);
  const view = id.success ? await load(store, id.data) : null;
  if (view === null) throw notFound(`No such ${missing} in this store`);
  return view;
}

const shopIdParam = z.coerce.number().int().positive();

/**
 * An API request (session token as `Authorization: Bearer`; authenticate.admin answers 401 itself for
 * a bad one). With `shopIdText`, the id in the URL must be the authenticated shop's store: another
 * shop's id answers 404, exactly like an id that does not exist, so ids cannot be probed.
 */
export async function apiStore(request: Request, shopIdText?: string): Promise<Store> {
  return scopedStore(await authenticatedStore(request), shopIdText);
}

function scopedStore(store: Store | null, shopIdText?: string): Store {
  if (!store) throw notFound("No store is connected for this shop");
  if (shopIdText !== undefined) {
    const shopId = shopIdParam.safeParse(shopIdText);
    if (!shopId.success || shopId.data !== store.id) throw notFound("No such store");
  }
  return store;
}

/**
 * An API request from an admin UI extension, which runs on another origin than the app: like
 * apiStore, and every answer (errors too) carries the library's CORS headers; the browser's preflight
 * (OPTIONS) is answered 204 by authenticate.admin itself.
 */
export async function extensionApi(
  request: Request,
  shopIdText: string | undefined,
  handle: (store: Store) => Promise<Response>,
): Promise<Response> {
  const { store, cors } = await authenticatedRequest(request);
  try {
    return cors(await handle(scopedStore(store, shopIdText)));
  } catch (error) {
    if (error instanceof Response) return cors(error);
    throw error;
  }
}

/**
 * Parses URL search params with a zod object schema; invalid values answer 400 whose message says
 * what is wrong (a page shows it in its banner, app/components/RouteError.tsx).
 */
export function parseSearchParams<T extends z.ZodTypeAny>(request: Request, schema: T): z.infer<T> {
  const params = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = schema.safeParse(params);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => issue.message).join("; ");
    throw badRequest(`Invalid query parameters: ${problems}`, parsed.error.flatten().fieldErrors);
  }
  return parsed.data;
}
