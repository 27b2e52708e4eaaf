// GET /api/v1/shopify/stores/{shop_id}/sync/jobs?page=N: the store's sync jobs, newest first.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { z } from "zod";
import { apiStore, parseSearchParams } from "~/view-models/context.server";
import { pageParam } from "~/view-models/search.server";
import { jobResource, listJobs } from "~/view-models/sync.server";

const query = z.object({ page: pageParam });

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await apiStore(request, params.shopId);
  const { page } = parseSearchParams(request, query);
  const jobs = await listJobs(store.id, page);
  return Response.json({
    data: jobs.jobs.map((job) => jobResource(job)),
    meta: { page, pageSize: jobs.pageSize, total: jobs.total, hasNext: jobs.hasNext },
  });
};
