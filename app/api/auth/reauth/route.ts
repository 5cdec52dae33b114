import { reauthSchema } from "@/lib/schemas/auth";
import { parseJsonBody } from "@/server/auth/request-body";
import { reissueSessionCookie, readRequestSession } from "@/server/auth/session";
import { sessionRoute } from "@/server/auth/trader-route";
import { verifyUserPassword } from "@/server/auth/users";
import { getDb } from "@/server/db/client";
import { appErrors, AppError } from "@/server/http/app-error";

export const dynamic = "force-dynamic";

// POST /api/auth/reauth – re-enter the password to refresh the session's sign-in time
export const POST = sessionRoute(
  async (request, { userId }) => {
    const { password } = await parseJsonBody(request, reauthSchema);
    if (!(await verifyUserPassword(await getDb(), userId, password))) {
      throw new AppError({
        code: "invalid_password",
        message: "That password is not right.",
        status: 401,
        field: "password",
      });
    }
    const claims = await readRequestSession(request);
    if (!claims) throw appErrors.unauthenticated();
    const response = Response.json({ ok: true });
    response.headers.append("set-cookie", await reissueSessionCookie(claims));
    return response;
  },
  { mutation: true },
);
