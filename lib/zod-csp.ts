/**
 * Zod compiles object parsers with `new Function` when it can, and finds out
 * whether it can by trying once. Under our Content-Security-Policy (no
 * 'unsafe-eval') that probe is refused, and the browser reports a CSP
 * violation on every page. Parsing without the compiled fast path is what
 * happens after the refused probe anyway; saying so up front skips the probe.
 * Imported (for its effect) first by every browser-side module that imports
 * zod, so it runs before any parse and costs pages without zod nothing.
 */
import { config } from "zod/mini";

if (typeof window !== "undefined") config({ jitless: true });
