import { z } from "zod";

/**
 * Server configuration, parsed once from the environment with zod.
 *
 * This is the only place that reads these variables: everything else asks
 * `getServerConfig()`. Nothing here may ever be exposed to a browser, which is
 * why none of it carries a `NEXT_PUBLIC_` prefix.
 */

export type KalshiEnv = "sim" | "demo" | "prod";

/** Kalshi's published endpoints; the simulator has none because it is started on demand. */
export const KALSHI_ENDPOINTS = {
  demo: {
    restUrl: "https://external-api.demo.kalshi.co/trade-api/v2",
    wsUrl: "wss://external-api-ws.demo.kalshi.co/trade-api/ws/v2",
  },
  prod: {
    restUrl: "https://external-api.kalshi.com/trade-api/v2",
    wsUrl: "wss://external-api-ws.kalshi.com/trade-api/ws/v2",
  },
} as const satisfies Record<Exclude<KalshiEnv, "sim">, { restUrl: string; wsUrl: string }>;

/** An unset variable and an empty one (`FOO=` in a compose file) mean the same: use the default. */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((value) => (value === "" ? undefined : value), schema.optional());

const port = (min: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(65_535));

const httpUrl = z.url({ protocol: /^https?$/, error: "must be an http(s) URL" });
const wsUrl = z.url({ protocol: /^wss?$/, error: "must be a ws(s) URL" });

const envSchema = z.object({
  NODE_ENV: optional(z.enum(["development", "production", "test"])),
  KALSHI_ENV: optional(z.enum(["sim", "demo", "prod"])).default("sim"),
  KALSHI_REST_URL: optional(httpUrl),
  KALSHI_WS_URL: optional(wsUrl),
  PORT: optional(port(1)).default(3000),
  // Loopback by default, in dev and production alike: this server will hold
  // traders' API keys, so exposing it on every interface must be a deliberate
  // choice (the container image sets HOST=0.0.0.0).
  HOST: optional(z.string().min(1)).default("127.0.0.1"),
  // 0 asks the OS for a free port, so an embedded simulator never collides
  // with another one (parallel test runs, a second checkout).
  SIM_PORT: optional(port(0)).default(0),
  // A fixed seed makes the embedded market data the same on every start.
  SIM_SEED: optional(
    z
      .string()
      .regex(/^-?\d+$/, "must be a whole number")
      .transform(Number)
      .pipe(
        z
          .number()
          .int()
          .min(0)
          .max(2 ** 32 - 1),
      ),
  ).default(42),
  SIM_BOTS: optional(z.enum(["on", "off"])).default("on"),
});

export interface ServerConfig {
  /** True unless NODE_ENV is "production". */
  dev: boolean;
  kalshiEnv: KalshiEnv;
  /** Kalshi REST base URL, ending in /trade-api/v2; undefined until the embedded simulator runs. */
  kalshiRestUrl: string | undefined;
  /** Kalshi WebSocket URL; undefined until the embedded simulator runs. */
  kalshiWsUrl: string | undefined;
  /** True when server/main.ts must start the simulator itself (sim, no explicit URL). */
  embedSimulator: boolean;
  port: number;
  host: string;
  sim: { port: number; seed: number; bots: boolean };
}

/** Thrown when the environment is invalid; the message names every bad variable. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  constructor(
    message: string,
    /** The names of the offending variables, e.g. ["PORT", "SIM_BOTS"]. */
    readonly variables: string[],
  ) {
    super(message);
  }
}

/**
 * Parses a server configuration from an environment (pure; no memoization).
 * Exposed for tests and for tools; the app uses `getServerConfig()`.
 */
export function parseServerConfig(env: Readonly<Record<string, string | undefined>>): ServerConfig {
  const result = envSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      const raw = issue.path[0] === undefined ? undefined : env[String(issue.path[0])];
      return `  ${name}: ${issue.message}${raw === undefined ? "" : ` (got ${JSON.stringify(raw)})`}`;
    });
    const variables = [...new Set(result.error.issues.map((issue) => String(issue.path[0])))];
    throw new ConfigError(`Invalid server configuration:\n${lines.join("\n")}`, variables);
  }
  const vars = result.data;
  const kalshiEnv = vars.KALSHI_ENV;
  const defaults = kalshiEnv === "sim" ? undefined : KALSHI_ENDPOINTS[kalshiEnv];
  const kalshiRestUrl = trimSlash(vars.KALSHI_REST_URL ?? defaults?.restUrl);
  // A separately started simulator (`npm run sim`) serves WS on the same host,
  // so for sim a REST URL alone is enough.
  const kalshiWsUrl = trimSlash(
    vars.KALSHI_WS_URL ??
      defaults?.wsUrl ??
      (kalshiRestUrl === undefined ? undefined : simWsUrlFromRest(kalshiRestUrl)),
  );

  return {
    dev: vars.NODE_ENV !== "production",
    kalshiEnv,
    kalshiRestUrl,
    kalshiWsUrl,
    embedSimulator: kalshiEnv === "sim" && vars.KALSHI_REST_URL === undefined,
    port: vars.PORT,
    host: vars.HOST,
    sim: { port: vars.SIM_PORT, seed: vars.SIM_SEED, bots: vars.SIM_BOTS === "on" },
  };
}

let cached: ServerConfig | undefined;

/**
 * The server configuration, parsed from `process.env` on first use and then
 * reused. Throws `ConfigError` naming the bad variables.
 */
export function getServerConfig(): ServerConfig {
  cached ??= parseServerConfig(process.env);
  return cached;
}

/**
 * Points this process at an embedded simulator. Called by server/main.ts
 * before Next.js prepares. It writes `process.env` as well because the
 * Next.js bundle holds its own copy of this module, which reads the
 * environment on its first request.
 */
export function setEmbeddedSimulatorUrls(urls: {
  restBaseUrl: string;
  wsUrl: string;
}): ServerConfig {
  process.env.KALSHI_REST_URL = urls.restBaseUrl;
  process.env.KALSHI_WS_URL = urls.wsUrl;
  const embedded = parseServerConfig(process.env);
  // The simulator was embedded even though the URL is now "explicit".
  cached = { ...embedded, embedSimulator: true };
  return cached;
}

/** Forgets the memoized configuration (tests only). */
export function resetServerConfigForTests(): void {
  cached = undefined;
}

/**
 * The Kalshi REST base URL in use (ends in /trade-api/v2, no trailing slash):
 * the explicit KALSHI_REST_URL, the demo/prod default, or the embedded simulator.
 */
export function kalshiRestBaseUrl(): string {
  const url = getServerConfig().kalshiRestUrl;
  if (url === undefined) {
    throw new ConfigError(
      "KALSHI_REST_URL is not set and no simulator is embedded: start the app with `npm run dev` / `npm start` (server/main.ts), or set KALSHI_REST_URL",
      ["KALSHI_REST_URL"],
    );
  }
  return url;
}

function trimSlash(url: string | undefined): string | undefined {
  return url?.replace(/\/+$/, "");
}

/** http://h:p/trade-api/v2 → ws://h:p/trade-api/ws/v2, the simulator's (and Kalshi's) layout. */
function simWsUrlFromRest(restUrl: string): string {
  const url = new URL(restUrl);
  url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
  url.pathname = url.pathname.replace(/\/trade-api\/v2\/?$/, "/trade-api/ws/v2");
  return url.toString();
}
