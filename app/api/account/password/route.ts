import { changePasswordSchema } from "@/lib/schemas/security";
import { changePassword } from "@/server/auth/account-security";
import { parseJsonBody } from "@/server/auth/request-body";
import { requestMetaFrom } from "@/server/auth/request-meta";
import { sessionNow } from "@/server/auth/session";
import { sessionRoute } from "@/server/auth/trader-route";
import { getDb } from "@/server/db/client";

export const dynamic = "force-dynamic";

// POST /api/account/password – change the password (every other session is signed out)
export const POST = sessionRoute(
  async (request, session) => {
    const input = await parseJsonBody(request, changePasswordSchema);
    await changePassword(
      await getDb(),
      session,
      input,
      requestMetaFrom(request.headers),
      sessionNow(),
    );
    return Response.json({ ok: true });
  },
  { mutation: true },
);
