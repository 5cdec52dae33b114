import type { z } from "zod";

import { readJsonBody } from "@/server/http/bounded-body";

/**
 * Reads a JSON request body within the path's size limit and parses it with
 * `schema` (a ZodError becomes a 400 naming the field in the error funnel).
 * Non-JSON bodies are a 400, bodies over the limit a 413
 * (server/http/bounded-body.ts). Every BFF route reads its body through here.
 */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  return schema.parse(await readJsonBody(request));
}
