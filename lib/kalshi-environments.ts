/**
 * The Kalshi environments a credential can belong to, and their display
 * names. Kept apart from lib/schemas/credential.ts (which re-exports them) so
 * browser code can show the labels without loading zod.
 */
export const KALSHI_ENVIRONMENTS = ["sim", "demo", "prod"] as const;
export type KalshiEnvironmentName = (typeof KALSHI_ENVIRONMENTS)[number];

export const ENVIRONMENT_LABELS: Record<KalshiEnvironmentName, string> = {
  sim: "Simulator",
  demo: "Kalshi demo",
  prod: "Kalshi production",
};
