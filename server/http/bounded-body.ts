/**
 * Reads a route handler's request body without ever holding more than the
 * path's limit (server/http/body-limit.ts): a declared Content-Length over it
 * and a streamed body that passes it are both a 413, and the stream is
 * cancelled there. Under server/main.ts the request guard has already cut
 * such bodies off; under plain `next start` / Vercel (proxy.ts, which can
 * only see the declared length) this is what bounds a body sent without one.
 */
import { getServerConfig } from "@/server/config";
import { AppError } from "@/server/http/app-error";
import { bodyLimitFor, declaredLengthExceeds, payloadTooLargeBody } from "@/server/http/body-limit";

/** The body limit of the request's path, from the configuration (HTTP_*BODY_LIMIT_KB). */
export function requestBodyLimit(request: Request): number {
  return bodyLimitFor(new URL(request.url).pathname, getServerConfig().limits);
}

/** The request body's bytes, at most `limit` of them; more is a 413 AppError. */
export async function readBodyBytes(
  request: Request,
  limit: number,
): Promise<Uint8Array<ArrayBuffer>> {
  if (declaredLengthExceeds(request.headers.get("content-length"), limit))
    throw payloadTooLarge(limit);
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      // Stop reading: the rest is never buffered.
      await reader.cancel().catch(() => undefined);
      throw payloadTooLarge(limit);
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}

/**
 * The request body parsed as JSON, read within the path's limit. Not JSON
 * (an empty body included) is a 400 `invalid_json`; too large a 413.
 */
export async function readJsonBody(
  request: Request,
  limit = requestBodyLimit(request),
): Promise<unknown> {
  const bytes = await readBodyBytes(request, limit);
  try {
    // UTF-8 with a leading BOM dropped, as Request.json() decodes.
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch {
    throw new AppError({
      code: "invalid_json",
      message: "The request body must be JSON.",
      status: 400,
    });
  }
}

function payloadTooLarge(limit: number): AppError {
  const { error } = payloadTooLargeBody(limit);
  return new AppError({ code: error.code, message: error.message, status: 413 });
}
