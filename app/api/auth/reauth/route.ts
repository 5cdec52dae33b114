import { reauthSchema } from "@/lib/schemas/auth";
import { confirmPassword } from "@/server/auth/password-attempts";
import { parseJsonBody } from "@/server/auth/request-body";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { reissueSessionCookie, readRequestSession, sessionNow } from "@/server/auth/session";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";
import { appErrors } from "@/server/http/app-error";

export const dynamic = "force-dynamic";

// POST /api/auth/reauth – re-enter the password to refresh the session's sign-in time (429 while locked)
export const POST = sessionRoute(
  async (request, { userId, email }) => {
    const { password } = await parseJsonBody(request, reauthSchema);
    await confirmPassword(
      await getDb(),
      { userId, email, password },
      requestMetaFrom(request.headers),
      sessionNow(),
    );
    const claims = await readRequestSession(request);
    if (!claims) throw appErrors.unauthenticated();
    const response = Response.json({ ok: true });
    response.headers.append("set-cookie", await reissueSessionCookie(claims));
    return response;
  },
  { mutation: true },
);
