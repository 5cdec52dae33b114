import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL(".", import.meta.url)) },
  },
  test: {
    include: ["{lib,server,components,app}/**/*.test.{ts,tsx}"],
    environment: "node",
    // Integration tests start real servers on ephemeral ports; give them room on a 2-core box.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: "forks",
    // next-auth imports "next/server" without an extension, which only a
    // bundler resolves; inlining lets Vite resolve it for route-level tests.
    server: { deps: { inline: ["next-auth"] } },
  },
});
