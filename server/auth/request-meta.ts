/**
 * Who is asking, as far as security bookkeeping needs: the client address
 * (from server/http/forwarded.ts's rules) and the User-Agent. Read from a
 * Request in route handlers, or from next/headers in server actions and
 * Auth.js callbacks (which Auth.js runs without handing us the request).
 */
import { hashAddress } from "@/server/auth/fingerprint";
import { clientAddressFromHeaders, type HeaderSource } from "@/server/http/forwarded";

export interface RequestMeta {
  address: string;
  userAgent: string | null;
}

/** The meta of a set of request headers. */
export function requestMetaFrom(headers: HeaderSource): RequestMeta {
  const userAgent =
    typeof (headers as Headers).get === "function"
      ? (headers as Headers).get("user-agent")
      : ((headers as Record<string, string | undefined>)["user-agent"] ?? null);
  return {
    address: clientAddressFromHeaders(headers),
    userAgent: userAgent?.slice(0, 256) ?? null,
  };
}

/** The meta of the request being served (server actions, Auth.js callbacks); "unknown" outside one. */
export async function currentRequestMeta(): Promise<RequestMeta> {
  try {
    const { headers } = await import("next/headers");
    return requestMetaFrom(await headers());
  } catch {
    return { address: "unknown", userAgent: null };
  }
}

/** The stored form of the meta (the address only as a keyed hash). */
export function storedMeta(meta: RequestMeta): { ipHash: string; userAgent: string | null } {
  return { ipHash: hashAddress(meta.address), userAgent: meta.userAgent };
}
