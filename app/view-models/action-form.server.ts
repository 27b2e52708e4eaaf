// The one way a page action reads its form: the submitted fields parsed with a zod schema, and the
// answer every page action gives — { ok, message } (a toast, app/components/use-action-toast.ts),
// with the fields' problems on a refusal so a form can show them beside its fields.
import type { z } from "zod";
import type { ActionResult } from "~/components/use-action-toast";

export type ActionAnswer = ActionResult & { fieldErrors?: Record<string, string[] | undefined> };

/** A page action's answer: 200 unless `status` says otherwise. */
export function actionAnswer(answer: ActionAnswer, status = 200): Response {
  return Response.json(answer, { status });
}

/**
 * The request's form fields parsed by `schema`, or the 400 answer to return: "Invalid request" (or
 * `invalidMessage`) with the fields' problems.
 */
export async function parseActionForm<T extends z.ZodTypeAny>(
  request: Request,
  schema: T,
  invalidMessage = "Invalid request",
): Promise<{ ok: true; data: z.infer<T> } | { ok: false; answer: Response }> {
  const parsed = schema.safeParse(Object.fromEntries(await request.formData()));
  if (parsed.success) return { ok: true, data: parsed.data };
  const fieldErrors = (parsed.error as z.ZodError).flatten().fieldErrors as Record<string, string[] | undefined>;
  return { ok: false, answer: actionAnswer({ ok: false, message: invalidMessage, fieldErrors }, 400) };
}
