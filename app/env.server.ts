// The one schema for Shop Sync's environment, shared by the web server, the worker, the CLIs and
// tests. A missing or malformed variable stops start-up with a message that names it.
// .env.example documents every variable and works offline against the emulator.
import { z } from "zod";
import {
  CUSTOMER_DATA_LEVELS,
  customerDataPolicy,
  PROTECTED_FIELDS,
  type CustomerDataPolicy,
} from "./sync/engine/customer-data";

const commaList = z.string().transform((value) =>
  value
    .split(",")
    .map((item) => item.trim())
    .filter(Boolean),
);

const base64Key = z
  .string()
  .trim()
  .refine((value) => Buffer.from(value, "base64").length === 32, {
    message: "must be 32 random bytes in base64 (generate one with `openssl rand -base64 32`)",
  });

export const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  SHOPIFY_API_KEY: z.string().min(1, "the app's client id from the Partner Dashboard"),
  SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret from the Partner Dashboard"),
  SHOPIFY_APP_URL: z.string().url(),
  SCOPES: commaList.default("read_products,read_inventory,read_locations,read_orders"),
  /** Unset: SQLite in prisma/dev.sqlite. `postgresql://…` for PostgreSQL. */
  DATABASE_URL: z
    .string()
    .optional()
    .refine((value) => !value || /^(file:|postgres(ql)?:\/\/)/.test(value), {
      message: "must start with file: (SQLite) or postgresql:// (PostgreSQL)",
    }),
  /** PostgreSQL connections per process (default 10). */
  DATABASE_POOL_MAX: z.coerce.number().int().positive().optional(),
  /**
   * Keys that encrypt access and refresh tokens at rest (AES-256-GCM), comma-separated
   * `id:base64key` pairs, newest last. New writes use the last key; older keys still decrypt, so a
   * key is rotated by appending a new one and removed once no row uses it.
   */
  TOKEN_ENCRYPTION_KEYS: z
    .string()
    .min(1)
    .transform((value, ctx) => {
      const keys = value
        .split(",")
        .map((pair) => pair.trim())
        .filter(Boolean);
      const parsed: Array<{ id: string; key: Buffer }> = [];
      for (const pair of keys) {
        const [id, material] = pair.split(":");
        if (!id || !material || !/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${pair.slice(0, 8)}…" is not id:base64key` });
          return z.NEVER;
        }
        const key = base64Key.safeParse(material);
        if (!key.success) {
          ctx.addIssue({ code: z.ZodIssueCode.custom, message: `key "${id}" ${key.error.issues[0]?.message}` });
          return z.NEVER;
        }
        parsed.push({ id, key: Buffer.from(material, "base64") });
      }
      if (new Set(parsed.map((k) => k.id)).size !== parsed.length) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, message: "key ids must be unique" });
        return z.NEVER;
      }
      return parsed;
    }),
  /**
   * The local Shopify emulator's origin. When set, every call the Shopify library makes to
   * https://{shop}/… goes there instead (app/shopify.server.ts is the only place that knows).
   */
  SHOPIFY_EMULATOR_URL: z.string().url().optional(),
  /** App Bridge script URL override (the emulator serves a stand-in); unset = Shopify's CDN. */
  APP_BRIDGE_URL: z.string().url().optional(),
  /** Run the job worker inside the web process: auto = yes on SQLite, no on PostgreSQL. */
  WORKER_IN_WEB_PROCESS: z.enum(["auto", "true", "false"]).default("auto"),
  /**
   * How long a store's first pending webhook delivery waits for others before processing starts
   * (ms, default 250): batches turn a burst into a few transactions a second (app/sync/tasks/webhooks/process.server.ts).
   * 0 processes each delivery as soon as it is stored.
   */
  WEBHOOK_BATCH_WINDOW_MS: z.coerce.number().int().min(0).max(60_000).default(250),
  /**
   * Days the raw body of a processed delivery is kept (default 7); then it is erased and the delivery's
   * metadata and audit trail stay (app/privacy/retention.server.ts). 0 erases at the next hourly run.
   */
  WEBHOOK_BODY_RETENTION_DAYS: z.coerce.number().int().min(0).max(365).default(7),
  /**
   * Hours an ignored delivery is kept (default 24): one for a shop with no store is deleted, one of a
   * store (refused or arriving after uninstall) loses its body and keeps its audit trail.
   */
  IGNORED_WEBHOOK_RETENTION_HOURS: z.coerce.number().int().min(1).max(720).default(24),
  /**
   * When set, GET /metrics requires `Authorization: Bearer <METRICS_TOKEN>` (Prometheus'
   * `authorization` scrape setting). Unset: /metrics is open, for a private network only — except in
   * production, where it is then not served at all (403).
   */
  METRICS_TOKEN: z.string().min(16, "use at least 16 random characters").optional(),
  /**
   * When set, `npm run worker` serves GET /metrics on this port (same METRICS_TOKEN rule): a worker
   * process has no web server, and what it runs (dead letters, syncs, Admin API calls) is counted there.
   */
  WORKER_METRICS_PORT: z.coerce.number().int().positive().optional(),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  PORT: z.coerce.number().int().positive().default(3000),
  /**
   * The protected customer data Shopify approved for the app (docs/decisions/0023): `none` (no
   * orders at all), `level1` (orders without name, email, phone or address) or `level2` (with the
   * fields in CUSTOMER_DATA_FIELDS). Every order query and mapper asks for and keeps only these.
   */
  CUSTOMER_DATA_LEVEL: z.enum(CUSTOMER_DATA_LEVELS).default("level2"),
  /** Level 2's approved fields, comma-separated: any of name, email, phone, address. */
  CUSTOMER_DATA_FIELDS: commaList.pipe(z.array(z.enum(PROTECTED_FIELDS))).optional(),
  /**
   * "true" lets a production build (NODE_ENV=production) use SHOPIFY_EMULATOR_URL and APP_BRIDGE_URL:
   * only for `npm run demo`, the browser tests and the benchmarks, which run the built app against the
   * local emulator. Never in a deployment.
   */
  ALLOW_EMULATOR_IN_PRODUCTION: z.enum(["true", "false"]).default("false"),
});

export type Env = z.infer<typeof envSchema> & { customerData: CustomerDataPolicy };

/** Level 2 needs its fields; the levels below have none. */
function customerDataOf(env: z.infer<typeof envSchema>): CustomerDataPolicy | string {
  const fields = env.CUSTOMER_DATA_FIELDS;
  if (env.CUSTOMER_DATA_LEVEL === "level2") {
    if (fields === undefined) return customerDataPolicy("level2", PROTECTED_FIELDS);
    if (fields.length === 0) return `level2 needs at least one of ${PROTECTED_FIELDS.join(", ")}`;
    return customerDataPolicy("level2", fields);
  }
  if (fields?.length) return `only level2 has fields (CUSTOMER_DATA_LEVEL is ${env.CUSTOMER_DATA_LEVEL})`;
  return customerDataPolicy(env.CUSTOMER_DATA_LEVEL, []);
}

/**
 * The key .env.example ships (its material, base64). It is public: a production process that uses it
 * encrypts every access token with a key anyone can read (app/env.server.production.test.ts checks it
 * is the file's).
 */
export const EXAMPLE_TOKEN_KEY = "3q2+7wAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";

/**
 * What production refuses to start with (docs/decisions/0016-trust-boundary.md): the example key, and
 * the emulator seam (every Shopify call, and App Bridge, would go to a local stand-in).
 */
function productionIssues(env: z.infer<typeof envSchema>, source: Record<string, string | undefined>): string[] {
  if (env.NODE_ENV !== "production") return [];
  const issues: string[] = [];
  const keys = (source.TOKEN_ENCRYPTION_KEYS ?? "").split(",").map((pair) => pair.split(":")[1]?.trim());
  if (keys.includes(EXAMPLE_TOKEN_KEY)) {
    issues.push(
      "TOKEN_ENCRYPTION_KEYS: the example key from .env.example is public; generate one with `openssl rand -base64 32`",
    );
  }
  if (env.ALLOW_EMULATOR_IN_PRODUCTION !== "true") {
    if (env.SHOPIFY_EMULATOR_URL) {
      issues.push("SHOPIFY_EMULATOR_URL: must be unset in production (it sends every Shopify call to the emulator)");
    }
    if (env.APP_BRIDGE_URL) issues.push("APP_BRIDGE_URL: must be unset in production (App Bridge comes from Shopify)");
  }
  return issues;
}

export class InvalidEnvironmentError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid environment:\n${issues.map((issue) => `  - ${issue}`).join("\n")}\nSee .env.example.`);
    this.name = "InvalidEnvironmentError";
  }
}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    throw new InvalidEnvironmentError(
      result.error.issues.map((issue) => `${issue.path.join(".") || "(root)"}: ${issue.message}`),
    );
  }
  const refused = productionIssues(result.data, source);
  if (refused.length > 0) throw new InvalidEnvironmentError(refused);
  const customerData = customerDataOf(result.data);
  if (typeof customerData === "string") throw new InvalidEnvironmentError([`CUSTOMER_DATA_FIELDS: ${customerData}`]);
  return { ...result.data, customerData };
}

let current: Env | undefined;

/** The validated environment, parsed once per process. */
export function env(): Env {
  current ??= parseEnv(process.env);
  return current;
}
