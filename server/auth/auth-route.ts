/**
 * The Auth.js route handlers (/api/auth/*) with a throttle in front of the
 * credentials callback: a locked account or address gets 429 with the one
 * error shape and Retry-After before Auth.js (or scrypt) does any work.
 *
 * The body is read here, once, within the auth body limit
 * (server/http/bounded-body.ts), and Auth.js gets a copy of those bytes: it
 * would otherwise read a body of any size itself. Under server/main.ts the
 * request guard has already cut an oversized body off; under plain
 * `next start` / Vercel this is what bounds one sent without a Content-Length.
 */
import { NextRequest } from "next/server";

import { passwordRetryAfterSeconds } from "@/server/auth/password-attempts";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { sessionNow } from "@/server/auth/session";
import { appErrors, toErrorResponse } from "@/server/http/app-error";
import { readBodyBytes, requestBodyLimit } from "@/server/http/bounded-body";

const CREDENTIALS_CALLBACK = /\/api\/auth\/callback\/credentials\/?$/;

/** Wraps Auth.js's POST handler with the body limit and the sign-in throttle. */
export function throttledAuthPost(
  post: (request: NextRequest) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    let body: Uint8Array<ArrayBuffer>;
    try {
      body = await readBodyBytes(request, requestBodyLimit(request));
    } catch (error) {
      return privateAnswer(toErrorResponse(error, { at: "api auth" }));
    }
    const buffered = new NextRequest(request.url, {
      method: request.method,
      headers: request.headers,
      body: body.byteLength > 0 ? body : undefined,
    });
    if (CREDENTIALS_CALLBACK.test(buffered.nextUrl.pathname)) {
      const email = await submittedEmail(buffered);
      const wait = passwordRetryAfterSeconds(
        { account: email ?? "", address: requestMetaFrom(buffered.headers).address },
        sessionNow(),
      );
      if (wait > 0)
        return privateAnswer(toErrorResponse(appErrors.tooManyAttempts(wait), { at: "api auth" }));
    }
    return post(buffered);
  };
}

function privateAnswer(response: Response): Response {
  response.headers.set("cache-control", "no-store");
  return response;
}

async function submittedEmail(request: Request): Promise<string | null> {
  try {
    const form = await request.clone().formData();
    const email = form.get("email");
    return typeof email === "string" ? email.trim().toLowerCase() : null;
  } catch {
    // Not a form: Auth.js will refuse it itself.
    return null;
  }
}
