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
    });
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
  ])("rejects %s=%j naming the variable", (name, value) => {
    const error = configError({ [name]: value });
    expect(error.variables).toEqual([name]);
    expect(error.message).toContain(`${name}:`);
    expect(error.message).toContain(JSON.stringify(value));
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
