/**
 * The one error shape every BFF route returns: `{ "error": { "code", "message" } }`.
 * Shared so pages can parse a failed response the same way the server builds it.
 */
import { z } from "zod";

export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    /** Which request field was wrong, when one was. */
    field: z.string().optional(),
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
