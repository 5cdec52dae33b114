/**
 * A one-second render cache of the public pages for signed-out visitors
 * (server/main.ts). `/markets` costs ~20 ms of CPU to render; its data comes
 * from memory and its prices go live over the gateway after hydration, so
 * every signed-out visitor within the same second can get the same render:
 *
 * - Only GET document requests (no RSC navigation headers) for `/`,
 *   `/markets`, `/markets/{ticker}` and `/events/{ticker}`, with no session
 *   cookie at all, keyed by the whole URL (filters live in the query).
 * - Only 200 HTML answers without Set-Cookie are kept, uncompressed (the
 *   compression wrapper outside compresses each answer for its client).
 * - The CSP nonce stays per response: the cached HTML's nonce is replaced by
 *   the nonce the request guard made for this request (a random 128-bit
 *   value, so the replacement cannot touch anything else).
 * - Identical concurrent requests wait for the one render in flight.
 *
 * PUBLIC_PAGE_CACHE_MS sets the lifetime (default 1000; 0 turns it off).
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import { isPublicPage } from "@/server/http/page-budget";

/** Pages kept at most (distinct URLs: filter combinations). */
const MAX_ENTRIES = 500;
/** Request headers of a client-side navigation (an RSC payload, not a document). */
const NAVIGATION_HEADERS = ["rsc", "next-router-state-tree", "next-router-prefetch", "next-action"];
/** Answer headers that belong to one response only. */
const PER_RESPONSE = new Set([
  "content-length",
  "content-encoding",
  "date",
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-security-policy",
  "content-security-policy-report-only",
]);

interface Entry {
  status: number;
  headers: Record<string, string | string[]>;
  body: string;
  nonce: string | null;
  expires: number;
}

export interface PageCacheOptions {
  ttlMs: number;
  /** The session cookie's name (its presence, valid or not, bypasses the cache). */
  sessionCookie: () => string;
  now?: () => number;
}

export class PageCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<Entry | null>>();
  readonly stats = { hits: 0, renders: 0, joined: 0, bypassed: 0 };

  constructor(private readonly options: PageCacheOptions) {}

  /** Serves `request` from the cache, or renders it (once for concurrent identical requests). */
  async serve(
    request: IncomingMessage,
    response: ServerResponse,
    render: () => Promise<void>,
  ): Promise<void> {
    const key = this.keyOf(request);
    if (key === null) {
      this.stats.bypassed += 1;
      return render();
    }
    const now = (this.options.now ?? Date.now)();
    const cached = this.entries.get(key);
    if (cached && cached.expires > now) {
      this.stats.hits += 1;
      send(cached, request, response);
      return;
    }
    const pending = this.inflight.get(key);
    if (pending) {
      const entry = await pending;
      if (entry) {
        this.stats.joined += 1;
        send(entry, request, response);
        return;
      }
      return render();
    }
    this.stats.renders += 1;
    let settle: (entry: Entry | null) => void = () => {};
    const captured = new Promise<Entry | null>((resolve) => (settle = resolve));
    this.inflight.set(key, captured);
    capture(
      request,
      response,
      (entry) => {
        if (this.inflight.get(key) === captured) this.inflight.delete(key);
        if (entry) {
          this.entries.delete(key);
          this.entries.set(key, entry);
          if (this.entries.size > MAX_ENTRIES) {
            const oldest = this.entries.keys().next().value;
            if (oldest !== undefined) this.entries.delete(oldest);
          }
        }
        settle(entry);
      },
      (this.options.now ?? Date.now)() + this.options.ttlMs,
    );
    try {
      await render();
    } catch (error) {
      if (this.inflight.get(key) === captured) this.inflight.delete(key);
      settle(null);
      throw error;
    }
  }

  /** The cache key of a cacheable request, else null. */
  private keyOf(request: IncomingMessage): string | null {
    if (this.options.ttlMs <= 0 || request.method !== "GET") return null;
    const url = request.url ?? "/";
    const pathname = url.split("?")[0] ?? "/";
    if (!isPublicPage(pathname)) return null;
    for (const name of NAVIGATION_HEADERS) if (request.headers[name] !== undefined) return null;
    const cookie = request.headers.cookie ?? "";
    const name = this.options.sessionCookie();
    // Auth.js may split the session cookie in chunks (name.0, name.1, …).
    if (cookie.includes(`${name}=`) || cookie.includes(`${name}.0=`)) return null;
    return url;
  }
}

/** The nonce of this request's CSP (set by the request guard), if any. */
function nonceOf(request: IncomingMessage): string | null {
  const csp = request.headers["content-security-policy"];
  const match = /'nonce-([^']+)'/.exec(Array.isArray(csp) ? csp.join(" ") : (csp ?? ""));
  return match?.[1] ?? null;
}

function send(entry: Entry, request: IncomingMessage, response: ServerResponse): void {
  const nonce = nonceOf(request);
  const body =
    entry.nonce && nonce && entry.nonce !== nonce
      ? entry.body.replaceAll(entry.nonce, nonce)
      : entry.body;
  for (const [name, value] of Object.entries(entry.headers))
    if (!response.hasHeader(name) || name === "content-type") response.setHeader(name, value);
  response.statusCode = entry.status;
  response.end(body);
}

/** Records what Next writes (uncompressed) while passing it on; `done` gets a cacheable entry or null. */
function capture(
  request: IncomingMessage,
  response: ServerResponse,
  done: (entry: Entry | null) => void,
  expires: number,
): void {
  const chunks: Buffer[] = [];
  const write = response.write.bind(response) as (chunk: unknown, ...rest: unknown[]) => boolean;
  const end = response.end.bind(response) as (...args: unknown[]) => ServerResponse;
  let finished = false;
  const keep = (chunk: unknown, encoding?: unknown) => {
    if (chunk === undefined || chunk === null || typeof chunk === "function") return;
    chunks.push(
      typeof chunk === "string"
        ? Buffer.from(chunk, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8")
        : Buffer.from(chunk as Uint8Array),
    );
  };
  response.write = ((chunk: unknown, ...rest: unknown[]) => {
    keep(chunk, rest[0]);
    return write(chunk, ...rest);
  }) as typeof response.write;
  response.end = ((...args: unknown[]) => {
    const [chunk, encoding] = args;
    keep(chunk, encoding);
    const result = end(...args);
    if (!finished) {
      finished = true;
      done(entryOf(request, response, chunks, expires));
    }
    return result;
  }) as typeof response.end;
  response.once("close", () => {
    if (!finished) {
      finished = true;
      done(null);
    }
  });
}

function entryOf(
  request: IncomingMessage,
  response: ServerResponse,
  chunks: Buffer[],
  expires: number,
): Entry | null {
  if (response.statusCode !== 200 || response.hasHeader("set-cookie")) return null;
  if (!/^text\/html/i.test(String(response.getHeader("content-type") ?? ""))) return null;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(response.getHeaders())) {
    if (value === undefined || PER_RESPONSE.has(name)) continue;
    headers[name] = typeof value === "number" ? String(value) : value;
  }
  return {
    status: 200,
    headers,
    body: Buffer.concat(chunks).toString("utf8"),
    nonce: nonceOf(request),
    expires,
  };
}
