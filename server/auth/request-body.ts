import type { z } from "zod";

import { AppError } from "@/server/http/app-error";

/**
 * Reads a JSON request body and parses it with `schema` (a ZodError becomes a
 * 400 naming the field in the error funnel). Non-JSON bodies are a 400 too.
 */
export async function parseJsonBody<S extends z.ZodType>(
  request: Request,
  schema: S,
): Promise<z.output<S>> {
  let body: unknown;
  try {
    body = await request.json();
  } catch {
    throw new AppError({
      code: "invalid_json",
      message: "The request body must be JSON.",
      status: 400,
    });
  }
  return schema.parse(body);
}
