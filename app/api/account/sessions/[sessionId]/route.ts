import { sessionIdParamsSchema } from "@/lib/schemas/security";
import { revokeOwnSession } from "@/server/auth/account-security";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { clearSessionCookie, sessionNow } from "@/server/auth/session";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// DELETE /api/account/sessions/[sessionId] – end one of the caller's sessions
export const DELETE = sessionRoute<{ sessionId: string }>(
  async (request, session) => {
    const { sessionId } = sessionIdParamsSchema.parse(session.params);
    await revokeOwnSession(
      await getDb(),
      session,
      sessionId,
      requestMetaFrom(request.headers),
      sessionNow(),
    );
    const response = new Response(null, { status: 204 });
    if (sessionId === session.sessionId)
      response.headers.append("set-cookie", clearSessionCookie());
    return response;
  },
  { mutation: true },
);
