// One Admin GraphQL request, in Shopify's order: parse → validate against the official schema →
// requested cost (refuse above 1,000) → take it from the leaky bucket (or answer THROTTLED) → execute →
// refund requested − actual → answer with `extensions.cost` (and `extensions.search` warnings).
import {
  execute,
  type GraphQLError,
  parse,
  validate,
  type DocumentNode,
  type GraphQLFormattedError,
  type GraphQLSchema,
} from "graphql";
import { computeActualCost, computeRequestedCost, MAX_QUERY_COST } from "../cost/requested-cost";
import { bucketKey, type LeakyBuckets, type ThrottleStatus } from "../throttle";
import { fieldResolver, typeResolver, type RequestContext } from "./resolvers";

export interface GraphQLRequestBody {
  query?: unknown;
  variables?: unknown;
  operationName?: unknown;
}

export interface GraphQLHttpResult {
  status: number;
  body: unknown;
}

const THROTTLED_ERROR = {
  message: "Throttled",
  extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" },
};

function costExtension(requested: number, actual: number | null, status: ThrottleStatus) {
  return { cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: status } };
}

/** graphql-js validation messages rewritten the way Shopify (graphql-ruby) words the common ones. */
function shopifyValidationError(e: GraphQLError): GraphQLFormattedError {
  const formatted = e.toJSON();
  const undefinedField = /^Cannot query field "([^"]+)" on type "([^"]+)"\./.exec(e.message);
  if (undefinedField) {
    const [, fieldName, typeName] = undefinedField;
    return {
      message: `Field '${fieldName}' doesn't exist on type '${typeName}'`,
      ...(formatted.locations && { locations: formatted.locations }),
      extensions: { code: "undefinedField", typeName, fieldName },
    };
  }
  const unknownArg = /^Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"\./.exec(e.message);
  if (unknownArg) {
    const [, argumentName, , fieldName] = unknownArg;
    return {
      message: `Field '${fieldName}' doesn't accept argument '${argumentName}'`,
      ...(formatted.locations && { locations: formatted.locations }),
      extensions: { code: "argumentNotAccepted", name: fieldName, typeName: "Field", argumentName: argumentName },
    };
  }
  return { ...formatted, extensions: { code: "GRAPHQL_VALIDATION_FAILED", ...formatted.extensions } };
}

export interface ExecuteDeps {
  schema: GraphQLSchema;
  buckets: LeakyBuckets;
  /** Forces a THROTTLED answer (fault injection). */
  forceThrottled?: boolean;
}

export async function runAdminGraphQL(
  deps: ExecuteDeps,
  rc: RequestContext,
  body: GraphQLRequestBody,
): Promise<GraphQLHttpResult> {
  const { schema, buckets } = deps;
  const key = bucketKey(rc.app.apiKey, rc.shop.domain);
  const plan = rc.shop.plan;
  if (typeof body.query !== "string" || body.query.trim() === "") {
    return { status: 400, body: { errors: { query: "Required parameter missing or invalid" } } };
  }
  const variables =
    body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
  const operationName = typeof body.operationName === "string" ? body.operationName : null;

  let document: DocumentNode;
  try {
    document = parse(body.query);
  } catch (e) {
    const err = e as GraphQLError;
    return {
      status: 200,
      body: {
        errors: [{ message: err.message, locations: err.locations ?? [] }],
        extensions: costExtension(0, 0, buckets.status(key, plan)),
      },
    };
  }
  const validationErrors = validate(schema, document);
  if (validationErrors.length) {
    return {
      status: 200,
      body: {
        errors: validationErrors.map(shopifyValidationError),
        extensions: costExtension(0, 0, buckets.status(key, plan)),
      },
    };
  }

  let requested: number;
  try {
    requested = computeRequestedCost(schema, document, { variables, operationName });
  } catch (e) {
    return { status: 200, body: { errors: [{ message: (e as Error).message }] } };
  }
  if (requested > MAX_QUERY_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message:
              `Query cost is ${requested}, which exceeds the single query max cost limit (${MAX_QUERY_COST}).\n\n` +
              "See https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\n" +
              "cost of a query is calculated.\n\n" +
              "To query larger amounts of data with fewer limits, bulk operations should be used instead.\n" +
              "See https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n",
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: MAX_QUERY_COST },
          },
        ],
      },
    };
  }

  if (deps.forceThrottled) {
    return {
      status: 200,
      body: { errors: [THROTTLED_ERROR], extensions: costExtension(requested, null, buckets.status(key, plan)) },
    };
  }
  const taken = buckets.take(key, plan, requested);
  if (!taken.ok) {
    return {
      status: 200,
      body: { errors: [THROTTLED_ERROR], extensions: costExtension(requested, null, taken.status) },
    };
  }

  const result = await execute({
    schema,
    document,
    rootValue: {},
    contextValue: rc,
    variableValues: variables,
    operationName,
    fieldResolver,
    typeResolver,
  });

  let actual: number;
  try {
    actual = Math.min(
      requested,
      computeActualCost(schema, document, { variables, operationName }, result.data ?? null),
    );
  } catch {
    actual = requested;
  }
  const status = buckets.refund(key, plan, requested - actual);
  const extensions: Record<string, unknown> = costExtension(requested, actual, status);
  if (rc.searchWarnings.length) {
    extensions.search = rc.searchWarnings.map((w) => ({ path: w.path, query: w.query, warnings: w.warnings }));
  }
  const out: Record<string, unknown> = {};
  if (result.errors?.length) out.errors = result.errors.map((e) => e.toJSON());
  if (result.data !== undefined) out.data = result.data;
  out.extensions = extensions;
  return { status: 200, body: out };
}
