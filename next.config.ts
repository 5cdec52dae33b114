import type { NextConfig } from "next";
import { PHASE_PRODUCTION_BUILD } from "next/constants";

const baseConfig: NextConfig = {
  poweredByHeader: false,
  // `ANALYZE_BUNDLE=1 npm run build` emits browser source maps so bundle
  // composition can be attributed to modules (see bench/first-load.bench.ts).
  productionBrowserSourceMaps: process.env.ANALYZE_BUNDLE === "1",
  // `npm run lint` (ESLint flat config) is the one lint gate; CI runs it
  // before the build, so the build does not lint a second time.
  eslint: { ignoreDuringBuilds: true },
  experimental: {
    // Server components import HydrationBoundary from the package's barrel;
    // without this, every "use client" hook module it re-exports (useQueries,
    // useSuspenseQueries, …) becomes a client reference shipped to the browser.
    optimizePackageImports: ["@tanstack/react-query"],
  },
  reactStrictMode: true,
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

/**
 * TanStack Query is used by every page but in different subsets, so webpack's
 * default splitting cuts it into four or five small chunks that each gzip on
 * their own. One chunk is smaller in total and is cached once for every page.
 */
interface WebpackConfigShape {
  optimization?: { splitChunks?: false | { cacheGroups?: Record<string, unknown> } };
}
function webpack(config: WebpackConfigShape, { isServer }: { isServer: boolean }) {
  const splitChunks = config.optimization?.splitChunks;
  if (isServer || !splitChunks || typeof splitChunks !== "object") return config;
  splitChunks.cacheGroups = {
    ...(splitChunks.cacheGroups ?? {}),
    tanstackQuery: {
      test: /[\\/]node_modules[\\/]@tanstack[\\/](query-core|react-query)[\\/]/,
      name: "tanstack-query",
      chunks: "all",
      priority: 35,
      enforce: true,
    },
    // Our browser-safe lib/ code (gateway hooks, query options, formatting)
    // and UI primitives (components/ui: the segment error boundary, skeletons)
    // are used by the root layout and by every page; each entry (layout, page,
    // error boundary) would otherwise carry its own copy. Initial chunks only:
    // what pages load on demand (the gateway client, the chart) stays apart.
    clientLib: {
      test: /^(?!.*[\\/]node_modules[\\/]).*[\\/](lib|components[\\/]ui)[\\/]/,
      name: "client-lib",
      chunks: "initial",
      // Only what two or more entries share: a module one page alone uses
      // (say the API keys page's response schema) stays with that page.
      minChunks: 2,
      priority: 20,
      enforce: true,
    },
  };
  return config;
}

export default function nextConfig(phase: string): NextConfig {
  return {
    ...baseConfig,
    webpack,
    // The build also emits .next/standalone for the container image. At run
    // time server/main.ts serves the regular .next output, and Next warns that
    // "next start does not work with standalone" if it still sees this flag.
    output: phase === PHASE_PRODUCTION_BUILD ? "standalone" : undefined,
  };
}
