import { afterEach, describe, expect, it } from "vitest";

import {
  ConfigError,
  getServerConfig,
  KALSHI_ENDPOINTS,
  kalshiRestBaseUrl,
  parseServerConfig,
  resetServerConfigForTests,
  setEmbeddedSimulatorUrls,
} from "./config";

function configError(env: Record<string, string | undefined>): ConfigError {
  try {
    parseServerConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error("expected a ConfigError");
}

const PRODUCTION_AUTH_SECRET = "x".repeat(32);
const PRODUCTION_VAULT_KEY = Buffer.alloc(32, 7).toString("base64");

describe("parseServerConfig", () => {
  it("defaults to an embedded, seeded simulator on loopback port 3000", () => {
    expect(parseServerConfig({})).toEqual({
      dev: true,
      kalshiEnv: "sim",
      kalshiRestUrl: undefined,
      kalshiWsUrl: undefined,
      embedSimulator: true,
      port: 3000,
      host: "127.0.0.1",
      sim: { port: 0, seed: 42, bots: true },
      databaseUrl: undefined,
      dataDir: ".data",
      auth: {
        secret: undefined,
        sessionMaxHours: 12,
        reauthWindowMinutes: 15,
        github: undefined,
        google: undefined,
      },
      vaultKey: undefined,
      limits: {
        accountFailures: 5,
        addressFailures: 20,
        failureWindowMs: 15 * 60_000,
        lockMs: 30_000,
        maxLockMs: 900_000,
        signUpsPerAddressPerHour: 10,
        hashConcurrency: 2,
        hashQueue: 64,
        authBodyBytes: 16 * 1024,
        bodyBytes: 64 * 1024,
        maxCredentialsPerUser: 20,
        maxSimAccountsPerUser: 5,
      },
      trustProxyHops: 0,
      gateway: {
        service: undefined,
        ticketSecret: undefined,
        allowedOrigins: [],
        publicUrl: undefined,
        port: 3001,
      },
      marketData: { enabled: true, reconcileMs: 300_000, settledRetentionMs: 7 * 86_400_000 },
      publicBudget: { perSecond: 20, burst: 60 },
      publicPageCacheMs: 1000,
      redisUrl: undefined,
    });
  });

  it("turns the market-data service off under test unless asked, and checks REDIS_URL", () => {
    expect(parseServerConfig({ NODE_ENV: "test" }).marketData.enabled).toBe(false);
    expect(parseServerConfig({ NODE_ENV: "test", MARKET_DATA: "on" }).marketData.enabled).toBe(
      true,
    );
    expect(parseServerConfig({ REDIS_URL: "redis://127.0.0.1:6379" }).redisUrl).toBe(
      "redis://127.0.0.1:6379",
    );
    const error = configError({ REDIS_URL: "http://x", PUBLIC_RATE_BURST: "0" });
    expect(error.variables.sort()).toEqual(["PUBLIC_RATE_BURST", "REDIS_URL"]);
    // A secret-looking URL is never echoed.
    expect(error.message).not.toContain("http://x");
  });

  it("reads the standalone gateway's public URL and port, and refuses a non-ws URL", () => {
    const config = parseServerConfig({
      GATEWAY_PUBLIC_URL: "wss://gateway.example.com/ws",
      GATEWAY_PORT: "4010",
    });
    expect(config.gateway.publicUrl).toBe("wss://gateway.example.com/ws");
    expect(config.gateway.port).toBe(4010);
    expect(() =>
      parseServerConfig({ GATEWAY_PUBLIC_URL: "https://gateway.example.com/ws" }),
    ).toThrow(/GATEWAY_PUBLIC_URL: must be a ws\(s\) URL/);
  });

  it("reads the abuse limits and TRUST_PROXY, and names a bad value", () => {
    const config = parseServerConfig({
      AUTH_LOCK_AFTER_FAILURES: "3",
      HTTP_BODY_LIMIT_KB: "128",
      TRUST_PROXY: "true",
    });
    expect(config.limits.accountFailures).toBe(3);
    expect(config.limits.bodyBytes).toBe(128 * 1024);
    expect(config.trustProxyHops).toBe(1);
    expect(parseServerConfig({ TRUST_PROXY: "2" }).trustProxyHops).toBe(2);
    expect(() => parseServerConfig({ TRUST_PROXY: "yes" })).toThrow(/TRUST_PROXY/);
    expect(() => parseServerConfig({ PASSWORD_HASH_CONCURRENCY: "0" })).toThrow(
      /PASSWORD_HASH_CONCURRENCY/,
    );
  });

  it("treats empty variables as unset", () => {
    const config = parseServerConfig({ PORT: "", KALSHI_ENV: "", SIM_BOTS: "" });
    expect(config.port).toBe(3000);
    expect(config.kalshiEnv).toBe("sim");
    expect(config.sim.bots).toBe(true);
  });

  it("reads every variable", () => {
    const config = parseServerConfig({
      NODE_ENV: "production",
      AUTH_SECRET: PRODUCTION_AUTH_SECRET,
      VAULT_KEY: PRODUCTION_VAULT_KEY,
      PORT: "8080",
      HOST: "0.0.0.0",
      SIM_PORT: "41000",
      SIM_SEED: "7",
      SIM_BOTS: "off",
    });
    expect(config.dev).toBe(false);
    expect(config.port).toBe(8080);
    expect(config.host).toBe("0.0.0.0");
    expect(config.sim).toEqual({ port: 41000, seed: 7, bots: false });
  });

  it("uses Kalshi's published endpoints for demo and prod", () => {
    for (const env of ["demo", "prod"] as const) {
      const config = parseServerConfig({ KALSHI_ENV: env });
      expect(config.kalshiRestUrl).toBe(KALSHI_ENDPOINTS[env].restUrl);
      expect(config.kalshiWsUrl).toBe(KALSHI_ENDPOINTS[env].wsUrl);
      expect(config.embedSimulator).toBe(false);
    }
    expect(parseServerConfig({ KALSHI_ENV: "demo" }).kalshiRestUrl).toBe(
      "https://external-api.demo.kalshi.co/trade-api/v2",
    );
  });

  it("lets explicit URLs override the environment defaults", () => {
    const config = parseServerConfig({
      KALSHI_ENV: "prod",
      KALSHI_REST_URL: "https://proxy.example/trade-api/v2/",
      KALSHI_WS_URL: "wss://proxy.example/trade-api/ws/v2",
    });
    expect(config.kalshiRestUrl).toBe("https://proxy.example/trade-api/v2");
    expect(config.kalshiWsUrl).toBe("wss://proxy.example/trade-api/ws/v2");
  });

  it("does not embed a simulator when sim has an explicit URL, and derives its WS URL", () => {
    const config = parseServerConfig({ KALSHI_REST_URL: "http://127.0.0.1:4100/trade-api/v2" });
    expect(config.embedSimulator).toBe(false);
    expect(config.kalshiWsUrl).toBe("ws://127.0.0.1:4100/trade-api/ws/v2");
  });

  it.each([
    ["PORT", "abc"],
    ["PORT", "0"],
    ["PORT", "70000"],
    ["SIM_PORT", "-1"],
    ["SIM_SEED", "1.5"],
    ["SIM_BOTS", "yes"],
    ["KALSHI_ENV", "staging"],
    ["KALSHI_REST_URL", "not a url"],
    ["KALSHI_REST_URL", "ftp://example.com/trade-api/v2"],
    ["KALSHI_WS_URL", "https://example.com/trade-api/ws/v2"],
    ["NODE_ENV", "qa"],
    ["DATABASE_URL", "mysql://db/app"],
    ["AUTH_SECRET", "too-short"],
    ["VAULT_KEY", "not base64!"],
    ["VAULT_KEY", Buffer.alloc(16).toString("base64")],
    ["REAUTH_WINDOW_MINUTES", "0"],
    ["SESSION_MAX_HOURS", "13"],
  ])("rejects %s=%j naming the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toContain(`${name}:`);
    if (!["AUTH_SECRET", "VAULT_KEY", "DATABASE_URL"].includes(name)) {
      expect(error.message).toContain(JSON.stringify(value));
    }
  });

  it("reads the database, auth and vault variables", () => {
    const config = parseServerConfig({
      DATABASE_URL: "postgres://app:pw@db:5432/app",
      DATA_DIR: "/var/lib/dashboard",
      AUTH_SECRET: PRODUCTION_AUTH_SECRET,
      VAULT_KEY: PRODUCTION_VAULT_KEY,
      REAUTH_WINDOW_MINUTES: "5",
      SESSION_MAX_HOURS: "8",
      AUTH_GITHUB_ID: "gh-id",
      AUTH_GITHUB_SECRET: "gh-secret",
    });
    expect(config.databaseUrl).toBe("postgres://app:pw@db:5432/app");
    expect(config.dataDir).toBe("/var/lib/dashboard");
    expect(config.vaultKey).toBe(PRODUCTION_VAULT_KEY);
    expect(config.auth).toEqual({
      secret: PRODUCTION_AUTH_SECRET,
      sessionMaxHours: 8,
      reauthWindowMinutes: 5,
      github: { clientId: "gh-id", clientSecret: "gh-secret" },
      google: undefined,
    });
  });

  it("refuses to start in production without AUTH_SECRET and VAULT_KEY", () => {
    const error = configError({ NODE_ENV: "production" });
    expect(error.variables.sort()).toEqual(["AUTH_SECRET", "VAULT_KEY"]);
    expect(error.message).toMatch(/VAULT_KEY: is required in production/);
  });

  it("never echoes a secret's value in the error", () => {
    const error = configError({
      AUTH_SECRET: "short-but-secret",
      DATABASE_URL: "mysql://u:hunter2@db/x",
    });
    expect(error.variables.sort()).toEqual(["AUTH_SECRET", "DATABASE_URL"]);
    expect(error.message).not.toContain("short-but-secret");
    expect(error.message).not.toContain("hunter2");
  });

  it("wants both halves of an OAuth client", () => {
    expect(configError({ AUTH_GOOGLE_ID: "id" }).variables).toEqual(["AUTH_GOOGLE_SECRET"]);
    expect(configError({ AUTH_GITHUB_SECRET: "s" }).variables).toEqual(["AUTH_GITHUB_ID"]);
  });

  it("reads the gateway variables and keeps their secrets out of errors", () => {
    const config = parseServerConfig({
      GATEWAY_SERVICE_KEY_ID: "key-1",
      GATEWAY_SERVICE_PRIVATE_KEY: "-----BEGIN PRIVATE KEY-----\\nabc\\n-----END PRIVATE KEY-----",
      GATEWAY_TICKET_SECRET: "t".repeat(32),
      GATEWAY_ALLOWED_ORIGINS: "https://app.example.com, https://www.example.com/",
    });
    expect(config.gateway).toEqual({
      service: {
        apiKeyId: "key-1",
        privateKeyPem: "-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----",
      },
      ticketSecret: "t".repeat(32),
      allowedOrigins: ["https://app.example.com", "https://www.example.com"],
      publicUrl: undefined,
      port: 3001,
    });
    expect(configError({ GATEWAY_SERVICE_KEY_ID: "key-1" }).variables).toEqual([
      "GATEWAY_SERVICE_PRIVATE_KEY",
    ]);
    const error = configError({
      GATEWAY_TICKET_SECRET: "short-secret",
      GATEWAY_ALLOWED_ORIGINS: "ftp://x",
    });
    expect(error.variables.sort()).toEqual(["GATEWAY_ALLOWED_ORIGINS", "GATEWAY_TICKET_SECRET"]);
    expect(error.message).not.toContain("short-secret");
  });

  it("names every bad variable at once", () => {
    const error = configError({ PORT: "x", SIM_BOTS: "maybe" });
    expect(error.variables.sort()).toEqual(["PORT", "SIM_BOTS"]);
  });
});

describe("getServerConfig", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetServerConfigForTests();
  });

  it("parses once and memoizes", () => {
    process.env.PORT = "4001";
    const first = getServerConfig();
    process.env.PORT = "4002";
    expect(getServerConfig()).toBe(first);
    expect(getServerConfig().port).toBe(4001);
  });

  it("kalshiRestBaseUrl() explains how to get a simulator when none is configured", () => {
    delete process.env.KALSHI_ENV;
    delete process.env.KALSHI_REST_URL;
    expect(() => kalshiRestBaseUrl()).toThrow(/KALSHI_REST_URL/);
  });

  it("setEmbeddedSimulatorUrls() points the process and its environment at the simulator", () => {
    delete process.env.KALSHI_ENV;
    delete process.env.KALSHI_REST_URL;
    delete process.env.KALSHI_WS_URL;
    getServerConfig();
    const config = setEmbeddedSimulatorUrls({
      restBaseUrl: "http://127.0.0.1:41234/trade-api/v2",
      wsUrl: "ws://127.0.0.1:41234/trade-api/ws/v2",
    });
    expect(config.embedSimulator).toBe(true);
    expect(kalshiRestBaseUrl()).toBe("http://127.0.0.1:41234/trade-api/v2");
    expect(process.env.KALSHI_WS_URL).toBe("ws://127.0.0.1:41234/trade-api/ws/v2");
  });
});
