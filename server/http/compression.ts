/**
 * Response compression for server/main.ts (Next.js compresses only under its
 * own `next start` server, with gzip; a custom server gets nothing). Brotli or
 * gzip, whichever the client prefers (brotli on a tie), for text answers
 * (HTML, JSON, the RSC payload, JS, CSS, SVG) of at least 1 KiB, streamed:
 * Next's streaming HTML is flushed through the compressor as it is written
 * (Next calls `res.flush()`), so Suspense boundaries still arrive early.
 *
 * The decision is taken when the headers go out (first write, writeHead,
 * flushHeaders or end), from the status, content type, encoding and length
 * the app set by then.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import {
  constants,
  createBrotliCompress,
  createGzip,
  type BrotliCompress,
  type Gzip,
} from "node:zlib";

/** Smaller answers are sent as they are: compression would barely pay for its header. */
const MIN_BYTES = 1024;
const COMPRESSIBLE =
  /^(?:text\/|application\/(?:json|javascript|x-javascript|xml|manifest\+json|ld\+json)|image\/svg\+xml|text\/x-component)/i;

type Encoding = "br" | "gzip";

/** The encoding to use for an Accept-Encoding header, or null. */
export function chooseEncoding(acceptEncoding: string | string[] | undefined): Encoding | null {
  const header = Array.isArray(acceptEncoding) ? acceptEncoding.join(",") : acceptEncoding;
  if (!header) return null;
  let best: Encoding | null = null;
  let bestQ = 0;
  for (const part of header.split(",")) {
    const [name = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!(q > 0)) continue;
    const encoding: Encoding | null = name === "br" ? "br" : name === "gzip" ? "gzip" : null;
    if (!encoding) continue;
    if (q > bestQ || (q === bestQ && encoding === "br")) {
      best = encoding;
      bestQ = q;
    }
  }
  return best;
}

/** Makes `response` compress its body when `request` accepts it and the answer suits. */
export function compressResponse(request: IncomingMessage, response: ServerResponse): void {
  const encoding = chooseEncoding(request.headers["accept-encoding"]);
  if (!encoding || request.method === "HEAD") return;

  const res = response as ServerResponse & { flush?: () => void };
  const write = res.write.bind(res) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  const writeHead = res.writeHead.bind(res) as (...args: unknown[]) => ServerResponse;
  const flushHeaders = res.flushHeaders.bind(res);
  const on = res.on.bind(res);
  const once = res.once.bind(res);
  let decided = false;
  let stream: BrotliCompress | Gzip | null = null;

  const decide = (endChunk?: unknown) => {
    if (decided) return;
    decided = true;
    const type = String(res.getHeader("content-type") ?? "");
    const length = Number(res.getHeader("content-length") ?? NaN);
    const endLength =
      endChunk === undefined || endChunk === null
        ? 0
        : typeof endChunk === "string"
          ? Buffer.byteLength(endChunk)
          : (endChunk as Uint8Array).byteLength;
    const small = Number.isFinite(length)
      ? length < MIN_BYTES
      : endChunk !== undefined && endLength < MIN_BYTES;
    if (
      res.statusCode < 200 ||
      res.statusCode === 204 ||
      res.statusCode === 304 ||
      !COMPRESSIBLE.test(type) ||
      res.getHeader("content-encoding") !== undefined ||
      /\bno-transform\b/.test(String(res.getHeader("cache-control") ?? "")) ||
      small
    )
      return;
    stream =
      encoding === "br"
        ? createBrotliCompress({
            params: {
              // Quality 3: /markets (98 kB) in 0.6 ms to 10.3 kB; 4 takes twice the CPU for 7% less.
              [constants.BROTLI_PARAM_QUALITY]: 3,
              ...(Number.isFinite(length) ? { [constants.BROTLI_PARAM_SIZE_HINT]: length } : {}),
            },
          })
        : createGzip({ level: 6 });
    res.removeHeader("content-length");
    res.setHeader("content-encoding", encoding);
    appendVary(res);
    stream.on("data", (chunk: Buffer) => {
      if (!write(chunk)) stream?.pause();
    });
    on("drain", () => stream?.resume());
    stream.on("end", () => end());
    stream.on("error", () => res.destroy());
  };

  res.writeHead = ((...args: unknown[]) => {
    // Once decided, Node itself calls this to send the head (implicit headers).
    if (decided) return writeHead(...args);
    // Kept as plain headers until the body starts, so its size can still decide.
    const [status, second, third] = args;
    const headers = typeof second === "object" && second !== null ? second : third;
    if (typeof status === "number") res.statusCode = status;
    if (typeof second === "string") res.statusMessage = second;
    if (Array.isArray(headers)) {
      decide();
      return writeHead(...args);
    }
    if (headers && typeof headers === "object")
      for (const [name, value] of Object.entries(headers as Record<string, unknown>))
        if (value !== undefined) res.setHeader(name, value as string | number | string[]);
    return res;
  }) as typeof res.writeHead;

  res.flushHeaders = () => {
    decide();
    // Compressed: the head goes out with the first compressed bytes (one write, not two).
    if (!stream) flushHeaders();
  };

  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    decide();
    if (!stream) return write(chunk, ...rest);
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    const encodingArg = typeof rest[0] === "string" ? (rest[0] as BufferEncoding) : undefined;
    return stream.write(
      typeof chunk === "string" ? Buffer.from(chunk, encodingArg) : (chunk as Buffer),
      callback,
    );
  }) as typeof res.write;

  res.end = ((...args: unknown[]) => {
    const [first, second] = args;
    const chunk = typeof first === "function" ? undefined : first;
    const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
    decide(chunk ?? null);
    if (!stream) return end(...args);
    if (callback) once("finish", callback);
    if (chunk !== undefined && chunk !== null)
      stream.end(
        typeof chunk === "string"
          ? Buffer.from(chunk, typeof second === "string" ? (second as BufferEncoding) : undefined)
          : (chunk as Buffer),
      );
    else stream.end();
    return res;
  }) as typeof res.end;

  res.flush = () => {
    stream?.flush();
  };

  // Whoever waits for 'drain' after a full write waits for the compressor's.
  res.on = ((event: string, listener: (...args: unknown[]) => void) => {
    if (event === "drain" && stream) {
      stream.on("drain", listener);
      return res;
    }
    return on(event, listener);
  }) as typeof res.on;

  // A client that goes away leaves the compressor open: end it.
  once("close", () => {
    if (!res.writableFinished) stream?.destroy();
  });
}

function appendVary(response: ServerResponse): void {
  const vary = response.getHeader("vary");
  const current = Array.isArray(vary) ? vary.join(", ") : vary === undefined ? "" : String(vary);
  if (/\baccept-encoding\b/i.test(current)) return;
  response.setHeader("vary", current ? `${current}, Accept-Encoding` : "Accept-Encoding");
}
