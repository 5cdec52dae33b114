import { listSessionViews, signOutEverywhere } from "@/server/auth/account-security";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { clearSessionCookie, sessionNow } from "@/server/auth/session";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// GET /api/account/sessions – the caller's live sessions (the current one marked)
export const GET = sessionRoute(async (_request, session) =>
  Response.json({ sessions: await listSessionViews(await getDb(), session, sessionNow()) }),
);

// DELETE /api/account/sessions – sign out everywhere (this browser included)
export const DELETE = sessionRoute(
  async (request, session) => {
    const ended = await signOutEverywhere(
      await getDb(),
      session,
      requestMetaFrom(request.headers),
      sessionNow(),
    );
    const response = Response.json({ ended });
    response.headers.append("set-cookie", clearSessionCookie());
    return response;
  },
  { mutation: true },
);
