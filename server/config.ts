import { z } from "zod";

import { AUTH_BODY_LIMIT_KB, BODY_LIMIT_KB } from "./http/body-limit-settings";

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

const wholeNumber = (min: number, max: number) =>
  z
    .string()
    .regex(/^\d+$/, "must be a whole number")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

const base64Key = z
  .string()
  .refine(
    (value) =>
      /^[A-Za-z0-9+/]+={0,2}$/.test(value.trim()) &&
      Buffer.from(value.trim(), "base64").length === 32,
    "must be 32 bytes in base64 (e.g. `openssl rand -base64 32`)",
  );

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
  // ── accounts, sessions, key vault, database ───────────────────────────────
  // Unset: an embedded PGlite database on disk under DATA_DIR/pglite.
  DATABASE_URL: optional(
    z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgres:// URL" }),
  ),
  // Where development secrets (auth-secret, vault.key) and PGlite live.
  DATA_DIR: optional(z.string().min(1)).default(".data"),
  // Signs session cookies. Required in production; generated into DATA_DIR in development.
  AUTH_SECRET: optional(
    z.string().min(32, "must be at least 32 characters (e.g. `openssl rand -base64 32`)"),
  ),
  // Master key of the API-key vault (base64, 32 bytes). Required in production; generated in development.
  VAULT_KEY: optional(base64Key),
  // Placing orders or changing API keys needs a sign-in at most this old.
  REAUTH_WINDOW_MINUTES: optional(wholeNumber(1, 24 * 60)).default(15),
  // A session ends this long after sign-in, active or not (12 h at most by policy).
  SESSION_MAX_HOURS: optional(wholeNumber(1, 12)).default(12),
  AUTH_GITHUB_ID: optional(z.string().min(1)),
  AUTH_GITHUB_SECRET: optional(z.string().min(1)),
  AUTH_GOOGLE_ID: optional(z.string().min(1)),
  AUTH_GOOGLE_SECRET: optional(z.string().min(1)),
  // ── abuse limits (docs/security.md) ───────────────────────────────────────
  // Wrong passwords for one account within the window before it is locked.
  // 5: a trader who mistypes gets a few tries; a guesser gets very few per hour.
  AUTH_LOCK_AFTER_FAILURES: optional(wholeNumber(1, 1000)).default(5),
  // Wrong passwords from one client address (any account) before it is locked.
  // Higher than per account: an office behind one NAT shares an address.
  AUTH_IP_LOCK_AFTER_FAILURES: optional(wholeNumber(1, 100_000)).default(20),
  // Failures older than this are forgotten.
  AUTH_FAILURE_WINDOW_MINUTES: optional(wholeNumber(1, 24 * 60)).default(15),
  // The first lock; every further failure while over the limit doubles it, up to the maximum.
  AUTH_LOCK_SECONDS: optional(wholeNumber(1, 86_400)).default(30),
  AUTH_LOCK_MAX_SECONDS: optional(wholeNumber(1, 86_400)).default(900),
  // Accounts one client address may create per hour.
  SIGNUP_MAX_PER_IP_PER_HOUR: optional(wholeNumber(1, 100_000)).default(10),
  // scrypt hashes running at once (32 MiB and ~100 ms each): a flood queues instead of taking every core.
  PASSWORD_HASH_CONCURRENCY: optional(wholeNumber(1, 64)).default(2),
  // Hashes allowed to wait; beyond this a sign-in is refused with 503 at once.
  PASSWORD_HASH_QUEUE: optional(wholeNumber(0, 10_000)).default(64),
  // Request bodies: auth endpoints (sign-in forms, Auth.js callbacks) and everything else, KiB.
  HTTP_AUTH_BODY_LIMIT_KB: optional(
    wholeNumber(AUTH_BODY_LIMIT_KB.min, AUTH_BODY_LIMIT_KB.max),
  ).default(AUTH_BODY_LIMIT_KB.default),
  HTTP_BODY_LIMIT_KB: optional(wholeNumber(BODY_LIMIT_KB.min, BODY_LIMIT_KB.max)).default(
    BODY_LIMIT_KB.default,
  ),
  // Stored API keys per user, and simulator accounts one user may create.
  MAX_CREDENTIALS_PER_USER: optional(wholeNumber(1, 1000)).default(20),
  MAX_SIM_ACCOUNTS_PER_USER: optional(wholeNumber(0, 1000)).default(5),
  // How many reverse proxies in front of this server may be believed about the
  // client (X-Forwarded-For/-Host/-Proto). "false"/0: none, the socket is the truth.
  TRUST_PROXY: optional(
    z
      .string()
      .regex(/^(true|false|\d{1,2})$/, 'must be "true", "false" or a number of proxy hops')
      .transform((value) => (value === "true" ? 1 : value === "false" ? 0 : Number(value))),
  ).default(0),
  // ── WebSocket gateway ─────────────────────────────────────────────────────
  // The service key for the shared market-data connection (a Kalshi API key id
  // and its PEM; "\n" escapes allowed). Unset with KALSHI_ENV=sim: provisioned
  // from the simulator at start-up.
  GATEWAY_SERVICE_KEY_ID: optional(z.string().min(1)),
  GATEWAY_SERVICE_PRIVATE_KEY: optional(
    z.string().includes("PRIVATE KEY", { error: "must be a PEM private key" }),
  ),
  // Signs /api/ws-ticket tickets. Unset: derived from AUTH_SECRET, so the app and the gateway agree.
  GATEWAY_TICKET_SECRET: optional(z.string().min(32, "must be at least 32 characters")),
  // Comma-separated origins that may open the gateway besides its own (the app's origin on Vercel).
  GATEWAY_ALLOWED_ORIGINS: optional(
    z
      .string()
      .transform((list) =>
        list
          .split(",")
          .map((origin) => origin.trim())
          .filter((origin) => origin.length > 0),
      )
      .pipe(
        z.array(
          z.url({
            protocol: /^https?$/,
            error: "must be a comma-separated list of http(s) origins",
          }),
        ),
      ),
  ).default([]),
  // Where browsers open the gateway when it runs as its own process (the
  // Vercel layout: `npm run gateway` on a container host), e.g.
  // wss://gateway.example.com/ws. Unset: the app's own origin, path /ws.
  GATEWAY_PUBLIC_URL: optional(wsUrl),
  // Port of the standalone gateway (`npm run gateway`).
  GATEWAY_PORT: optional(port(1)).default(3001),
  // ── market data (docs/market-data.md) ─────────────────────────────────────
  // The in-memory universe serving public reads. Default on, except under
  // NODE_ENV=test (route tests then talk to the exchange as before).
  MARKET_DATA: optional(z.enum(["on", "off"])),
  // How often the universe is compared with REST in full (the stream keeps it current in between).
  MARKET_DATA_RECONCILE_SECONDS: optional(wholeNumber(5, 86_400)).default(300),
  // Settled markets are held (and listed under "Settled") this long after settlement.
  MARKET_DATA_SETTLED_DAYS: optional(wholeNumber(0, 90)).default(7),
  // Per-client budget on the public routes (pages and /api market data): a
  // token bucket per client address, or per user when signed in.
  PUBLIC_RATE_PER_SECOND: optional(wholeNumber(1, 1_000_000)).default(20),
  PUBLIC_RATE_BURST: optional(wholeNumber(1, 1_000_000)).default(60),
  // Several instances on one Redis (server/cluster): shared upstream connections,
  // the market-data leader, tickets and revocations across instances. Unset: one process.
  REDIS_URL: optional(
    z.url({ protocol: /^rediss?$/, error: "must be a redis:// or rediss:// URL" }),
  ),
  // Signed-out renders of the public pages are shared for this long (server/http/page-cache.ts); 0 = off.
  PUBLIC_PAGE_CACHE_MS: optional(wholeNumber(0, 60_000)).default(1000),
});

/** Secrets and provider pairs that only make sense together or only in some modes. */
const checkedEnvSchema = envSchema.superRefine((vars, ctx) => {
  if (vars.NODE_ENV === "production") {
    for (const name of ["AUTH_SECRET", "VAULT_KEY"] as const) {
      if (vars[name] === undefined) {
        ctx.addIssue({
          code: "custom",
          path: [name],
          message:
            name === "AUTH_SECRET"
              ? "is required in production (generate one with `openssl rand -base64 32`)"
              : "is required in production: the vault's master key, 32 random bytes in base64 (`openssl rand -base64 32`)",
        });
      }
    }
  }
  for (const [id, secret] of [
    ["AUTH_GITHUB_ID", "AUTH_GITHUB_SECRET"],
    ["AUTH_GOOGLE_ID", "AUTH_GOOGLE_SECRET"],
    ["GATEWAY_SERVICE_KEY_ID", "GATEWAY_SERVICE_PRIVATE_KEY"],
  ] as const) {
    if ((vars[id] === undefined) !== (vars[secret] === undefined)) {
      const missing = vars[id] === undefined ? id : secret;
      ctx.addIssue({
        code: "custom",
        path: [missing],
        message: `is required when ${missing === id ? secret : id} is set`,
      });
    }
  }
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
  /** Postgres URL; undefined = embedded PGlite under `dataDir/pglite`. */
  databaseUrl: string | undefined;
  /** Directory for PGlite and generated development secrets (relative to the working directory). */
  dataDir: string;
  auth: {
    /** undefined in development = generated into dataDir/auth-secret on first use. */
    secret: string | undefined;
    sessionMaxHours: number;
    reauthWindowMinutes: number;
    github: OAuthClient | undefined;
    google: OAuthClient | undefined;
  };
  /** Vault master key (base64); undefined in development = generated into dataDir/vault.key. */
  vaultKey: string | undefined;
  limits: SecurityLimits;
  /** Reverse-proxy hops whose X-Forwarded-* headers are believed; 0 = none. */
  trustProxyHops: number;
  gateway: {
    /** Market-data service key; undefined = provision one from the simulator (sim only). */
    service: { apiKeyId: string; privateKeyPem: string } | undefined;
    /** undefined = derived from the auth secret. */
    ticketSecret: string | undefined;
    allowedOrigins: string[];
    /** Browser-facing ws(s) URL of a separately run gateway; undefined = same origin /ws. */
    publicUrl: string | undefined;
    /** Listening port of the standalone gateway process. */
    port: number;
  };
  marketData: {
    /** The in-memory universe (server/market-data); off = every read goes upstream (coalesced). */
    enabled: boolean;
    reconcileMs: number;
    settledRetentionMs: number;
  };
  /** Per-client budget of the public routes (server/http/client-budget.ts). */
  publicBudget: { perSecond: number; burst: number };
  /** Lifetime of shared signed-out page renders, ms (server/http/page-cache.ts); 0 = off. */
  publicPageCacheMs: number;
  /** Redis of a multi-instance deployment (server/cluster); undefined = one process. */
  redisUrl: string | undefined;
}

/** Abuse limits (docs/security.md). Times in ms, sizes in bytes. */
export interface SecurityLimits {
  accountFailures: number;
  addressFailures: number;
  failureWindowMs: number;
  lockMs: number;
  maxLockMs: number;
  signUpsPerAddressPerHour: number;
  hashConcurrency: number;
  hashQueue: number;
  authBodyBytes: number;
  bodyBytes: number;
  maxCredentialsPerUser: number;
  maxSimAccountsPerUser: number;
}

export interface OAuthClient {
  clientId: string;
  clientSecret: string;
}

/** Variables whose values must never appear in an error message or log. */
const SECRET_VARIABLES = new Set([
  "AUTH_SECRET",
  "VAULT_KEY",
  "DATABASE_URL",
  "AUTH_GITHUB_SECRET",
  "AUTH_GOOGLE_SECRET",
  "GATEWAY_SERVICE_PRIVATE_KEY",
  "GATEWAY_TICKET_SECRET",
  "REDIS_URL",
]);

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
  const result = checkedEnvSchema.safeParse(env);
  if (!result.success) {
    const lines = result.error.issues.map((issue) => {
      const name = String(issue.path[0] ?? "environment");
      // Never echo a secret, even a malformed one, into a log.
      const raw =
        issue.path[0] === undefined || SECRET_VARIABLES.has(name)
          ? undefined
          : env[String(issue.path[0])];
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
    databaseUrl: vars.DATABASE_URL,
    dataDir: vars.DATA_DIR,
    auth: {
      secret: vars.AUTH_SECRET,
      sessionMaxHours: vars.SESSION_MAX_HOURS,
      reauthWindowMinutes: vars.REAUTH_WINDOW_MINUTES,
      github: oauthClient(vars.AUTH_GITHUB_ID, vars.AUTH_GITHUB_SECRET),
      google: oauthClient(vars.AUTH_GOOGLE_ID, vars.AUTH_GOOGLE_SECRET),
    },
    vaultKey: vars.VAULT_KEY?.trim(),
    limits: {
      accountFailures: vars.AUTH_LOCK_AFTER_FAILURES,
      addressFailures: vars.AUTH_IP_LOCK_AFTER_FAILURES,
      failureWindowMs: vars.AUTH_FAILURE_WINDOW_MINUTES * 60_000,
      lockMs: vars.AUTH_LOCK_SECONDS * 1000,
      maxLockMs: Math.max(vars.AUTH_LOCK_SECONDS, vars.AUTH_LOCK_MAX_SECONDS) * 1000,
      signUpsPerAddressPerHour: vars.SIGNUP_MAX_PER_IP_PER_HOUR,
      hashConcurrency: vars.PASSWORD_HASH_CONCURRENCY,
      hashQueue: vars.PASSWORD_HASH_QUEUE,
      authBodyBytes: vars.HTTP_AUTH_BODY_LIMIT_KB * 1024,
      bodyBytes: vars.HTTP_BODY_LIMIT_KB * 1024,
      maxCredentialsPerUser: vars.MAX_CREDENTIALS_PER_USER,
      maxSimAccountsPerUser: vars.MAX_SIM_ACCOUNTS_PER_USER,
    },
    trustProxyHops: vars.TRUST_PROXY,
    gateway: {
      service:
        vars.GATEWAY_SERVICE_KEY_ID !== undefined && vars.GATEWAY_SERVICE_PRIVATE_KEY !== undefined
          ? {
              apiKeyId: vars.GATEWAY_SERVICE_KEY_ID,
              privateKeyPem: vars.GATEWAY_SERVICE_PRIVATE_KEY.replace(/\\n/g, "\n"),
            }
          : undefined,
      ticketSecret: vars.GATEWAY_TICKET_SECRET,
      allowedOrigins: vars.GATEWAY_ALLOWED_ORIGINS.map((origin) => new URL(origin).origin),
      publicUrl: vars.GATEWAY_PUBLIC_URL,
      port: vars.GATEWAY_PORT,
    },
    marketData: {
      enabled: (vars.MARKET_DATA ?? (vars.NODE_ENV === "test" ? "off" : "on")) === "on",
      reconcileMs: vars.MARKET_DATA_RECONCILE_SECONDS * 1000,
      settledRetentionMs: vars.MARKET_DATA_SETTLED_DAYS * 86_400_000,
    },
    publicBudget: {
      perSecond: vars.PUBLIC_RATE_PER_SECOND,
      burst: Math.max(vars.PUBLIC_RATE_BURST, vars.PUBLIC_RATE_PER_SECOND),
    },
    publicPageCacheMs: vars.PUBLIC_PAGE_CACHE_MS,
    redisUrl: vars.REDIS_URL,
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

function oauthClient(
  clientId: string | undefined,
  clientSecret: string | undefined,
): OAuthClient | undefined {
  return clientId !== undefined && clientSecret !== undefined
    ? { clientId, clientSecret }
    : undefined;
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
