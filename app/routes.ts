import { flatRoutes } from "@remix-run/fs-routes";
import type { RouteConfig } from "@remix-run/route-config";

// Route helpers live beside their route as *.server.ts files; tests as *.test.ts. Neither is a route.
export default flatRoutes({ ignoredRouteFiles: ["**/.*", "**/*.test.*", "**/*.server.*"] }) satisfies RouteConfig;
