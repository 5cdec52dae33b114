/**
 * The request target of an incoming HTTP request as a URL, without ever
 * throwing. `new URL(req.url, base)` throws on targets any client can send
 * (`GET //[`), and it reads an origin-form target that starts with `//` as a
 * host ("//evil/ws" would become the path "/ws"); here the target is always
 * a path on our own host, and anything RFC 3986 does not allow in a path or
 * query (raw `[`, `{`, `|`, `\`, a stray `%`) makes it malformed.
 */

const BASE = "http://request.invalid";

/** pchar / "/" / "?" (RFC 3986 §3.3-3.4) with percent-escapes well formed. */
const ORIGIN_FORM = /^\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-Fa-f]{2})*$/;
/** The same for absolute-form (`http://host[:port]/path`), whose authority may hold [v6]. */
const ABSOLUTE_FORM = /^https?:\/\/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?[\]]|%[0-9A-Fa-f]{2})*$/i;

/**
 * Parses `req.url`: origin-form (`/path?query`) and absolute-form
 * (`http://host/path`). Returns null for anything else or anything
 * malformed; callers answer 400.
 */
export function requestTarget(url: string | undefined): URL | null {
  if (url === undefined) return null;
  try {
    if (ORIGIN_FORM.test(url)) return new URL(BASE + url);
    if (ABSOLUTE_FORM.test(url)) return new URL(url);
    return null;
  } catch {
    return null;
  }
}
