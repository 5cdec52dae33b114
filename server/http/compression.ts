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
  brotliCompressSync,
  constants,
  createBrotliCompress,
  createGzip,
  gzipSync,
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

/** Beyond this much buffered body, compression streams instead of waiting for the end. */
const BUFFER_LIMIT = 256 * 1024;

function brotliParams(sizeHint: number | undefined): Record<number, number> {
  // A window as large as the body (at least 64 KiB): brotli's default 4 MiB window
  // costs more to set up than compressing a typical answer.
  const bits =
    sizeHint === undefined
      ? 18
      : Math.max(16, Math.min(22, Math.ceil(Math.log2(Math.max(sizeHint, 1))) + 1));
  return {
    // Quality 3: /markets (98 kB) in 0.6 ms to 10.3 kB; 4 takes twice the CPU for 7% less.
    [constants.BROTLI_PARAM_QUALITY]: 3,
    [constants.BROTLI_PARAM_LGWIN]: bits,
    ...(sizeHint === undefined ? {} : { [constants.BROTLI_PARAM_SIZE_HINT]: sizeHint }),
  };
}

function toBuffer(chunk: unknown, encoding?: unknown): Buffer {
  return typeof chunk === "string"
    ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
    : Buffer.from(chunk as Uint8Array);
}

/**
 * Makes `response` compress its body when `request` accepts it and the answer
 * suits. The body is buffered and compressed in one go at the end (most
 * answers: one JSON document, one cached page); it streams through a
 * compressor only when the app flushes and keeps writing afterwards (Next's
 * streaming HTML) or when it grows past BUFFER_LIMIT.
 */
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
  let compressing = false;
  let ended = false;
  let buffered: Buffer[] = [];
  let bufferedBytes = 0;
  let stream: BrotliCompress | Gzip | null = null;
  let flushTimer: NodeJS.Immediate | null = null;

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
    compressing = true;
    res.removeHeader("content-length");
    res.setHeader("content-encoding", encoding);
    appendVary(res);
  };

  /** From here on the body streams through a compressor (the app flushed, or it is large). */
  const startStream = () => {
    if (stream) return;
    stream =
      encoding === "br"
        ? createBrotliCompress({ params: brotliParams(undefined) })
        : createGzip({ level: 6 });
    stream.on("data", (chunk: Buffer) => {
      if (!write(chunk)) stream?.pause();
    });
    on("drain", () => stream?.resume());
    stream.on("end", () => end());
    stream.on("error", () => res.destroy());
    for (const chunk of buffered) stream.write(chunk);
    buffered = [];
    bufferedBytes = 0;
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
    if (!compressing) flushHeaders();
  };

  res.write = ((chunk: unknown, ...rest: unknown[]) => {
    decide();
    if (!compressing) return write(chunk, ...rest);
    const callback = rest.find((arg) => typeof arg === "function") as (() => void) | undefined;
    const data = toBuffer(chunk, rest[0]);
    if (stream) return stream.write(data, callback);
    buffered.push(data);
    bufferedBytes += data.length;
    if (bufferedBytes > BUFFER_LIMIT) startStream();
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof res.write;

  res.end = ((...args: unknown[]) => {
    const [first, second] = args;
    const chunk = typeof first === "function" ? undefined : first;
    const callback = args.find((arg) => typeof arg === "function") as (() => void) | undefined;
    decide(chunk ?? null);
    if (!compressing || ended) return end(...args);
    ended = true;
    if (flushTimer) clearImmediate(flushTimer);
    if (callback) once("finish", callback);
    const last = chunk === undefined || chunk === null ? null : toBuffer(chunk, second);
    if (stream) {
      if (last) stream.end(last);
      else stream.end();
      return res;
    }
    // The whole body is here: compress it in one go.
    const body = Buffer.concat(last ? [...buffered, last] : buffered);
    buffered = [];
    const compressed =
      encoding === "br"
        ? brotliCompressSync(body, { params: brotliParams(body.length) })
        : gzipSync(body, { level: 6 });
    res.setHeader("content-length", compressed.length);
    return end(compressed);
  }) as typeof res.end;

  res.flush = () => {
    if (!compressing || ended) return;
    if (stream) {
      stream.flush();
      return;
    }
    // A flush right before the end (one JSON document) must not cost a stream:
    // stream only if the app is still writing on the next turn (streaming HTML).
    flushTimer ??= setImmediate(() => {
      flushTimer = null;
      if (ended) return;
      startStream();
      stream?.flush();
    });
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
    if (flushTimer) clearImmediate(flushTimer);
    if (!res.writableFinished) stream?.destroy();
  });
}

function appendVary(response: ServerResponse): void {
  const vary = response.getHeader("vary");
  const current = Array.isArray(vary) ? vary.join(", ") : vary === undefined ? "" : String(vary);
  if (/\baccept-encoding\b/i.test(current)) return;
  response.setHeader("vary", current ? `${current}, Accept-Encoding` : "Accept-Encoding");
}
