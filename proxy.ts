/**
 * The security policy under plain `next start` and on Vercel, where no
 * custom server runs (server/main.ts applies the same policy itself, through
 * server/http/request-guard.ts). One decision for both:
 * server/http/security-policy.ts.
 *
 * Next.js 16's proxy (the former middleware) runs on the Node.js runtime
 * before every route. It sets the security headers and the page CSP, hands
 * the nonce to Next.js in the request's CSP header (Next puts it on its
 * scripts), answers 403 to cross-site server actions and 413 to a declared
 * body over the path's limit. A body sent without a Content-Length is bounded
 * where it is read (server/http/bounded-body.ts). The public pages draw on
 * the per-client budget here, as server/main.ts does before rendering
 * (server/http/client-budget.ts; anonymous visitors are told apart only by a
 * trusted X-Forwarded-For, TRUST_PROXY, which Vercel's edge provides).
 *
 * Every path but Next.js's own hashed build assets (`/_next/static/`): pages,
 * API routes and public files carry the headers, as under the custom server;
 * the build assets get `nosniff` from next.config.ts instead. Inside the
 * custom server Next.js runs this too; the request guard has marked the
 * request, and it is passed through untouched. (Running the proxy costs a
 * request about a millisecond of CPU even then, three times what serving a
 * small file does: a page load fetches a dozen build assets.)
 */
import { NextResponse, type NextRequest } from "next/server";

import { getServerConfig } from "@/server/config";
import { checkPublicBudget } from "@/server/http/client-budget";
import { isPublicPage } from "@/server/http/page-budget";
import {
  applyRequestHeaderEdits,
  decideRequestPolicy,
  isGuardedRequest,
} from "@/server/http/security-policy";

export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (isGuardedRequest(request.headers)) return NextResponse.next();

  const decision = decideRequestPolicy(
    {
      method: request.method,
      pathname: request.nextUrl.pathname,
      headers: request.headers,
      // Next.js does not show the proxy the socket: the client address is the
      // trusted X-Forwarded-For entry (TRUST_PROXY), else "unknown".
      socketAddress: undefined,
      // `next start` speaks plain HTTP; TLS ends at a proxy (Vercel's edge),
      // which says so in X-Forwarded-Proto when TRUST_PROXY trusts it.
      connectionEncrypted: false,
    },
    getServerConfig(),
  );

  if (decision.kind === "refuse")
    return NextResponse.json(decision.body, {
      status: decision.status,
      headers: decision.responseHeaders,
    });

  const requestHeaders = new Headers(request.headers);
  applyRequestHeaderEdits(requestHeaders, decision.requestHeaders);

  if (
    (request.method === "GET" || request.method === "HEAD") &&
    isPublicPage(request.nextUrl.pathname)
  ) {
    // The edited headers: the client address in them is the one the policy trusts.
    const refused = await checkPublicBudget(requestHeaders);
    if (refused)
      return NextResponse.json(refused.body, {
        status: refused.status,
        headers: { ...decision.responseHeaders, ...refused.headers },
      });
  }

  const response = NextResponse.next({ request: { headers: requestHeaders } });
  for (const [name, value] of Object.entries(decision.responseHeaders))
    response.headers.set(name, value);
  return response;
}

export const config = {
  // Not the immutable build assets (JS, CSS, fonts): see above.
  matcher: ["/((?!_next/static/).*)"],
};
