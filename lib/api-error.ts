/**
 * The one error shape every BFF route returns: `{ "error": { "code", "message" } }`.
 * Shared so pages can parse a failed response the same way the server builds it.
 *
 * Written with `zod/mini` rather than `zod`: pages load this module (the
 * re-authentication dialog), and only whether a body matches is used here,
 * so the full package would only add weight to the browser bundle.
 */
import "@/lib/zod-csp"; // before any parse: no eval probe under the CSP
import * as z from "zod/mini";

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Which request field was wrong, when one was. */
    field: z.optional(z.string()),
  }),
});

export type ApiErrorBody = z.infer<typeof apiErrorBodySchema>;

/** Reads an error body from a failed response, falling back to a generic message. */
export async function readApiError(response: Response): Promise<ApiErrorBody["error"]> {
  try {
    const parsed = apiErrorBodySchema.safeParse(await response.json());
    if (parsed.success) return parsed.data.error;
  } catch {
    // Not JSON: fall through to the generic message.
  }
  return { code: "http_error", message: `The server answered ${response.status}. Try again.` };
}
