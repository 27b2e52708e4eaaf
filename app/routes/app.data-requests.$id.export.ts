// GET /app/data-requests/{id}/export: one customer data request's export as a JSON download (the page's
// "Download export" fetches it with the session token App Bridge adds).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound, pageStore } from "~/view-models/context.server";
import { exportFileName } from "~/view-models/data-request-files";
import { dataRequestExport, dataRequestIdParam } from "~/view-models/data-requests.server";

export const loader = async ({ request, params }: LoaderFunctionArgs) => {
  const store = await pageStore(request);
  const id = dataRequestIdParam.safeParse(params.id);
  const exported = id.success ? await dataRequestExport(store, id.data) : null;
  if (!exported || !id.success) throw notFound("No such data request");
  return new Response(JSON.stringify(exported, null, 2), {
    headers: {
      "Content-Type": "application/json; charset=utf-8",
      "Content-Disposition": `attachment; filename="${exportFileName(id.data)}"`,
      "Cache-Control": "no-store",
    },
  });
};
