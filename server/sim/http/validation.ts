/**
 * zod at the simulator's edge: every query string and JSON body is parsed here
 * and a failure becomes Kalshi's 400 with a message naming the field.
 */
import type { Context } from "hono";
import { z } from "zod";
import { simErrors } from "@/server/sim/errors";

/** Turns a zod failure into one readable sentence: "count: must be ...; price: ...". */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const path = issue.path.join(".");
      if (issue.code === "unrecognized_keys") {
        const where = path ? ` in ${path}` : "";
        return `unknown field${issue.keys.length > 1 ? "s" : ""}${where}: ${issue.keys.join(", ")}`;
      }
      return path ? `${path}: ${issue.message}` : issue.message;
    })
    .join("; ");
}

/** Parses `c.req.query()` (single values) with `schema`. */
export function parseQuery<S extends z.ZodType>(c: Context, schema: S): z.infer<S> {
  const result = schema.safeParse(c.req.query());
  if (!result.success) throw simErrors.invalidParameters(describeZodError(result.error));
  return result.data;
}

/** Parses the raw JSON body with `schema` (use `.strict()` objects so unknown fields are refused). */
export async function parseJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
): Promise<z.infer<S>> {
  const text = await c.req.text();
  let raw: unknown;
  try {
    raw = text.length === 0 ? undefined : JSON.parse(text);
  } catch {
    throw simErrors.invalidParameters("request body is not valid JSON");
  }
  if (raw === undefined) throw simErrors.missingParameters("request body is required");
  const result = schema.safeParse(raw);
  if (!result.success) throw simErrors.invalidParameters(describeZodError(result.error));
  return result.data;
}

/**
 * Parses a JSON body that may be blank (empty or white space only), for the
 * sim-only admin routes: a blank body counts as `{}` when `optional` and is
 * refused as missing otherwise.
 */
export async function parseBlankableJsonBody<S extends z.ZodType>(
  c: Context,
  schema: S,
  optional: boolean,
): Promise<z.infer<S>> {
  const text = await c.req.text();
  let raw: unknown = {};
  if (text.trim().length > 0) {
    try {
      raw = JSON.parse(text);
    } catch {
      throw simErrors.invalidParameters("request body is not valid JSON");
    }
  } else if (!optional) {
    throw simErrors.missingParameters("request body is required");
  }
  const result = schema.safeParse(raw);
  if (!result.success) throw simErrors.invalidParameters(describeZodError(result.error));
  return result.data;
}

/** Path parameter, guaranteed non-empty by the route pattern. */
export function pathParam(c: Context, name: string): string {
  const value = c.req.param(name);
  if (!value) throw simErrors.missingParameters(`${name} is required`);
  return value;
}

/** Query helpers shared by list endpoints. */
export const queryInt = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

export const queryBool = z.enum(["true", "false"]).transform((v) => v === "true");

/** A comma-separated list of tickers. */
export const queryTickerList = (max: number) =>
  z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((t) => t.trim())
        .filter((t) => t.length > 0),
    )
    .pipe(z.array(z.string()).max(max, `at most ${max} tickers`));
