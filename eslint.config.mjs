import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Anything under server/ may hold keys, signing or the simulator: browser-safe
// code (components/, lib/) must never import it, by alias or by relative path.
const serverFence = {
  patterns: [
    {
      regex: "^(@/|(\\.\\.?/)+)server(/|$)",
      message: "components/ and lib/ are browser-safe: they must not import server/ code.",
    },
  ],
};

export default defineConfig([
  ...nextVitals,
  ...nextTypescript,
  {
    rules: {
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_" },
      ],
    },
  },
  {
    files: ["components/**", "lib/**"],
    rules: { "no-restricted-imports": ["error", serverFence] },
  },
  globalIgnores([
    ".next/**",
    "out/**",
    "build/**",
    "node_modules/**",
    ".data/**",
    "test-results/**",
    "demos/**",
    "playwright-report/**",
    "next-env.d.ts",
  ]),
]);
