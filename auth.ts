/**
 * Auth.js for this app: `handlers` back /api/auth/*, `auth()` reads the
 * session in server components, `signIn` / `signOut` serve the forms'
 * server actions. The configuration is built on first use (see
 * server/auth/auth-config.ts) so builds need no secrets.
 */
import NextAuth from "next-auth";

import { buildAuthConfig } from "@/server/auth/auth-config";

export const { handlers, auth, signIn, signOut } = NextAuth(() => buildAuthConfig());
