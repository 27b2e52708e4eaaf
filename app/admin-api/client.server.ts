// The Admin GraphQL client every Shopify call goes through. It takes the library's `admin` context
// (from authenticate.admin or unauthenticated.admin, app/shopify.server.ts), sends a named operation,
// and parses the response with zod, so callers get typed data or a typed error, never an unchecked
// shape.
import { z } from "zod";

/** The part of the library's AdminApiContext we use. */
export interface LibraryAdminContext {
  graphql(query: string, options?: { variables?: Record<string, unknown> }): Promise<Response>;
}

export class AdminApiError extends Error {
  constructor(
    message: string,
    readonly details: unknown,
  ) {
    super(message);
    this.name = "AdminApiError";
  }
}

const responseEnvelope = z.object({
  data: z.unknown().optional(),
  errors: z.unknown().optional(),
  extensions: z.unknown().optional(),
});

export class AdminGraphqlClient {
  constructor(private readonly admin: LibraryAdminContext) {}

  async query<T>(document: string, schema: z.ZodType<T>, variables?: Record<string, unknown>): Promise<T> {
    const response = await this.admin.graphql(document, { variables });
    const body = responseEnvelope.parse(await response.json());
    if (body.errors) throw new AdminApiError("Admin API returned errors", body.errors);
    const parsed = schema.safeParse(body.data);
    if (!parsed.success) {
      throw new AdminApiError(
        `Admin API response did not match the expected shape: ${parsed.error.message}`,
        body.data,
      );
    }
    return parsed.data;
  }
}
