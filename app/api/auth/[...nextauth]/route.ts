import { handlers } from "@/auth";
import { throttledAuthPost } from "@/server/auth/auth-route";

export const dynamic = "force-dynamic";

// GET /api/auth/* – Auth.js: CSRF token, session, providers, OAuth callbacks
export const GET = handlers.GET;

// POST /api/auth/* – Auth.js: sign-in callbacks (throttled: 429 while locked), sign-out
export const POST = throttledAuthPost(handlers.POST);
