/**
 * The request-body limit settings (KiB): defaults and bounds that
 * server/config.ts validates HTTP_AUTH_BODY_LIMIT_KB and HTTP_BODY_LIMIT_KB
 * against, and the size Next.js itself may buffer (next.config.ts).
 *
 * No imports: next.config.ts loads this file before anything is bundled.
 */

export const AUTH_BODY_LIMIT_KB = { default: 16, min: 1, max: 1024 } as const;
export const BODY_LIMIT_KB = { default: 64, min: 1, max: 100 * 1024 } as const;

/**
 * The largest body any path accepts, in bytes, read leniently from `env` (a
 * value server/config.ts would refuse counts as its default: the server will
 * not start with it anyway).
 *
 * next.config.ts sizes Next's own request-body buffers with it: the copy of
 * every body Next.js keeps for proxy.ts (`proxyClientMaxBodySize`, 10 MB by
 * default, two buffers per request) and server actions' limit (1 MB by
 * default). One byte over the limit is kept, so a longer body still reads as
 * too large where the route reads it (server/http/bounded-body.ts).
 */
export function largestBodyLimitBytes(env: Readonly<Record<string, string | undefined>>): number {
  const kib = (
    value: string | undefined,
    setting: { default: number; min: number; max: number },
  ) => {
    const parsed = value !== undefined && /^\d+$/.test(value) ? Number(value) : NaN;
    return parsed >= setting.min && parsed <= setting.max ? parsed : setting.default;
  };
  return (
    Math.max(
      kib(env.HTTP_AUTH_BODY_LIMIT_KB, AUTH_BODY_LIMIT_KB),
      kib(env.HTTP_BODY_LIMIT_KB, BODY_LIMIT_KB),
    ) * 1024
  );
}
