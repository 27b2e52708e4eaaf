import { checkHealth } from "~/observability/health.server";

// Liveness and readiness for load balancers: 200 when the database answers, 503 otherwise.
export const loader = async () => {
  const health = await checkHealth();
  return Response.json(health, { status: health.ok ? 200 : 503 });
};
