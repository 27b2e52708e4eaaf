// Structured JSON logs (pino) for the web process, the worker and the CLIs. Log fields use the
// glossary's words: shop, topic, webhookId, job, task.
import pino from "pino";

export const logger = pino({
  level: process.env.LOG_LEVEL ?? "info",
  base: { service: "shop-sync" },
  // Access and refresh tokens never reach a log line, whatever object is logged.
  redact: ["*.accessToken", "*.refreshToken", "accessToken", "refreshToken", "headers.authorization"],
});
