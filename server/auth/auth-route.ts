/**
 * The Auth.js route handlers (/api/auth/*) with a throttle in front of the
 * credentials callback: a locked account or address gets 429 with the one
 * error shape and Retry-After before Auth.js (or scrypt) does any work.
 * The limit on the body's size is applied earlier, in server/main.ts.
 */
import { passwordRetryAfterSeconds } from "@/server/auth/password-attempts";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { sessionNow } from "@/server/auth/session";
import { appErrors, toErrorResponse } from "@/server/http/app-error";

const CREDENTIALS_CALLBACK = /\/api\/auth\/callback\/credentials\/?$/;

/** Wraps Auth.js's POST handler with the sign-in throttle. */
export function throttledAuthPost<R extends Request>(
  post: (request: R) => Promise<Response>,
): (request: R) => Promise<Response> {
  return async (request) => {
    if (CREDENTIALS_CALLBACK.test(new URL(request.url).pathname)) {
      const email = await submittedEmail(request);
      const wait = passwordRetryAfterSeconds(
        { account: email ?? "", address: requestMetaFrom(request.headers).address },
        sessionNow(),
      );
      if (wait > 0) {
        const response = toErrorResponse(appErrors.tooManyAttempts(wait), { at: "api auth" });
        response.headers.set("cache-control", "no-store");
        return response;
      }
    }
    return post(request);
  };
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
