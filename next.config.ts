import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";

import { largestBodyLimitBytes } from "./server/http/body-limit-settings";

const baseConfig: NextConfig = {
  poweredByHeader: false,
  // Browser source maps ship with the build: the first-load budget check
  // (bench/first-load.bench.ts) attributes each chunk's bytes to framework or
  // app code from them, and they make production stack traces readable. They
  // hold only browser code, which is public anyway.
  productionBrowserSourceMaps: true,
  experimental: {
    // Server components import HydrationBoundary from the package's barrel;
    // without this, every "use client" hook module it re-exports (useQueries,
    // useSuspenseQueries, …) becomes a client reference shipped to the browser.
    optimizePackageImports: ["@tanstack/react-query"],
  },
  reactStrictMode: true,
  // The build assets skip proxy.ts (its matcher); the one header of its policy
  // that matters for a script or stylesheet is set here.
  async headers() {
    return [
      {
        source: "/_next/static/:path*",
        headers: [{ key: "X-Content-Type-Options", value: "nosniff" }],
      },
    ];
  },
  // `npm run typecheck` (tsc --noEmit over the whole repository, tests and
  // server entries included) is the one type gate and CI runs it before the
  // build; checking again inside `next build` doubled the build time here.
  typescript: { ignoreBuildErrors: true },
  // `ws` loads optional native add-ons (bufferutil, utf-8-validate) with a
  // guarded require; bundling it breaks that, so server code that reaches it
  // loads it from node_modules instead.
  // PGlite loads its WebAssembly and data files relative to its own module
  // path, which bundling breaks.
  serverExternalPackages: ["ws", "@electric-sql/pglite"],
  // SQL migrations are read from disk at start-up (server/db/client.ts).
  outputFileTracingIncludes: {
    "/*": ["./server/db/migrations/**/*"],
  },
  // The simulator and the Node entry run outside Next.js (server/main.ts loads
  // them with tsx); no page imports them, so keep them out of the traced
  // standalone output too.
  outputFileTracingExcludes: {
    "/*": ["./server/sim/**/*", "./server/main.ts", "./bench/**/*", "./e2e/**/*"],
  },
};

export default function nextConfig(phase: string): NextConfig {
  // Next.js reads server actions' bodies itself, and keeps its own copy of
  // each request body for proxy.ts: neither needs more than the largest body
  // limit (HTTP_BODY_LIMIT_KB / HTTP_AUTH_BODY_LIMIT_KB, read when this config
  // loads: at `next start`, or at build time for Vercel and standalone
  // output), the copy one byte more so that a longer body still reads as too
  // large in the route (docs/security.md).
  const largestBody = largestBodyLimitBytes(process.env);
  return {
    ...baseConfig,
    experimental: {
      ...baseConfig.experimental,
      proxyClientMaxBodySize: largestBody + 1,
      serverActions: { bodySizeLimit: largestBody },
    },
    // Turbopack builds (the Next 16 default) in dev and production; no webpack hook.
    turbopack: {},
    // The build also emits .next/standalone for the container image. At run
    // time server/main.ts serves the regular .next output, and Next warns that
    // "next start does not work with standalone" if it still sees this flag.
    output: phase === PHASE_PRODUCTION_BUILD ? "standalone" : undefined,
  };
}
