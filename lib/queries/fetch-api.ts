/**
 * The browser's one way to call the BFF: same-origin fetch, JSON in and out,
 * and the one error shape (`{ error: { code, message, field? } }`) turned
 * into an ApiRequestError that react-query surfaces to error boundaries.
 * Browser-safe. Answers are typed, not re-validated: the BFF validated them
 * against lib/schemas on the way in from Kalshi.
 */
import type { ApiErrorBody } from "@/lib/api-error";

export class ApiRequestError extends Error {
  override readonly name = "ApiRequestError";
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Builds `/api/...?a=1` from a path and query values (undefined values left out). */
export function apiPath(
  path: string,
  query: Record<string, string | number | boolean | undefined> = {},
): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `${path}?${text}` : path;
}

/** GETs (or sends) JSON to the BFF. @throws ApiRequestError on a non-2xx answer. */
export async function fetchApi<T>(
  path: string,
  init: { method?: string; json?: unknown; signal?: AbortSignal } = {},
): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? (init.json === undefined ? "GET" : "POST"),
    headers: init.json === undefined ? undefined : { "content-type": "application/json" },
    body: init.json === undefined ? undefined : JSON.stringify(init.json),
    signal: init.signal,
    credentials: "same-origin",
  });
  if (!response.ok) {
    const error = await readError(response);
    throw new ApiRequestError(response.status, error.code, error.message, error.field);
  }
  return (await response.json()) as T;
}

/** True for "not signed in" / "no Kalshi key" answers, which pages treat as "no personal data". */
export function isSignedOutError(error: unknown): boolean {
  return (
    error instanceof ApiRequestError &&
    (error.status === 401 || error.code === "no_credential" || error.status === 403)
  );
}

/**
 * The error of a failed answer. Read by hand rather than with the zod schema
 * in lib/api-error.ts, which would add zod to every page's first load.
 */
async function readError(response: Response): Promise<ApiErrorBody["error"]> {
  try {
    const body = (await response.json()) as Partial<ApiErrorBody> | null;
    const error = body?.error;
    if (error && typeof error.code === "string" && typeof error.message === "string") {
      return typeof error.field === "string"
        ? { code: error.code, message: error.message, field: error.field }
        : { code: error.code, message: error.message };
    }
  } catch {
    // Not JSON: fall through to the generic message.
  }
  return { code: "http_error", message: `The server answered ${response.status}. Try again.` };
}
