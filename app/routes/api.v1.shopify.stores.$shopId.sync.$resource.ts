// POST /api/v1/shopify/stores/{shop_id}/sync/{products|orders|inventory} with an optional JSON body
// {"kind": "full" | "incremental"} (default incremental): starts a sync, answers 202.
import type { ActionFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiStore, badRequest, notFound } from "~/view-models/context.server";
import { syncKind, syncResource } from "~/view-models/sync-options";
import { startSync } from "~/view-models/sync.server";

const body = z.object({ kind: syncKind.default("incremental") }).strict();

async function readBody(request: Request): Promise<unknown> {
  const text = await request.text();
  if (!text.trim()) return {};
  try {
    return JSON.parse(text);
  } catch {
    throw badRequest("The body is not JSON");
  }
}

export const action = async ({ request, params }: ActionFunctionArgs) => {
  if (request.method !== "POST") {
    return Response.json(
      { error: { code: "method_not_allowed", message: "Use POST" } },
      { status: 405, headers: { Allow: "POST" } },
    );
  }
  const store = await apiStore(request, params.shopId);
  const resource = syncResource.safeParse(params.resource);
  if (!resource.success) throw notFound("No such sync resource");
  const input = body.safeParse(await readBody(request));
  if (!input.success) throw badRequest("Invalid body", input.error.flatten().fieldErrors);
  const { job } = await startSync(store, { kind: input.data.kind, resource: resource.data });
  return Response.json(
    { data: { accepted: true, kind: input.data.kind, resource: resource.data, job } },
    { status: 202 },
  );
};
