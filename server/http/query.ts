import type { z } from "zod";

/**
 * Parses a request's query string with `schema` (strict schemas reject
 * unknown parameters). A ZodError becomes a 400 naming the parameter in the
 * error funnel. A repeated parameter keeps its last value.
 */
export function parseQuery<S extends z.ZodType>(request: Request, schema: S): z.output<S> {
  return schema.parse(Object.fromEntries(new URL(request.url).searchParams));
}
