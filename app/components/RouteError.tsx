// A page's error state: "not found" and "bad request" answers render a Banner inside the page; any
// other thrown response goes to Shopify's boundary (it carries the headers for re-authentication).
import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Banner, Page } from "@shopify/polaris";
import { boundary } from "@shopify/shopify-app-remix/server";

export function RouteError({ title, backUrl }: { title: string; backUrl?: string }) {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && (error.status === 404 || error.status === 400)) {
    const message =
      error.data && typeof error.data === "object" && "error" in error.data
        ? String((error.data as { error: { message?: unknown } }).error.message ?? "")
        : "";
    return (
      <Page title={title} backAction={backUrl ? { content: "Back", url: backUrl } : undefined}>
        <Banner
          tone={error.status === 404 ? "warning" : "critical"}
          title={error.status === 404 ? "Not found" : "Invalid request"}
        >
          <p>{message || "This page does not exist for your store."}</p>
        </Banner>
      </Page>
    );
  }
  if (!isRouteErrorResponse(error) && error instanceof Error) {
    return (
      <Page title={title}>
        <Banner tone="critical" title="Something went wrong">
          <p>{error.message}</p>
        </Banner>
      </Page>
    );
  }
  return boundary.error(error);
}
