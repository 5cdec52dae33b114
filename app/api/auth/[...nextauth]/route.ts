import { handlers } from "@/auth";

export const dynamic = "force-dynamic";

// GET, POST /api/auth/* – Auth.js: sign-in callbacks, CSRF token, session, sign-out
export const { GET, POST } = handlers;
