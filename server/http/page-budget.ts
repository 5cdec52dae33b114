/**
 * The public pages' share of the per-client budget (server/http/client-budget.ts),
 * checked in server/main.ts before Next.js renders: `/`, `/markets`,
 * `/markets/{ticker}` and `/events/{ticker}` (documents and client-side
 * navigations alike). The API routes are checked by publicRoute.
 */
import type { IncomingMessage, ServerResponse } from "node:http";

import { checkPublicBudget } from "@/server/http/client-budget";

const PUBLIC_PAGE = /^\/(?:markets(?:\/[^/]+)?|events\/[^/]+)?\/?$/;

/** True when `pathname` is one of the public pages. */
export function isPublicPage(pathname: string): boolean {
  return PUBLIC_PAGE.test(pathname);
}

/** Answers 429 and returns true when this page request is over its client's budget. */
export async function refusePublicPageOverBudget(
  request: IncomingMessage,
  response: ServerResponse,
): Promise<boolean> {
  if (request.method !== "GET" && request.method !== "HEAD") return false;
  let pathname: string;
  try {
    pathname = new URL(request.url ?? "/", "http://internal").pathname;
  } catch {
    return false;
  }
  if (!isPublicPage(pathname)) return false;
  const refused = await checkPublicBudget(request.headers);
  if (!refused) return false;
  const text = JSON.stringify(refused.body);
  response.writeHead(refused.status, {
    ...refused.headers,
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
  });
  response.end(text);
  return true;
}
