/**
 * Exchange endpoints over HTTP, read both raw and through the official SDK
 * (every field the SDK's models mark required must be present).
 */
import { Configuration, ExchangeApi } from "kalshi-typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { pauseExchange, resumeExchange } from "@/server/sim/http/routes/sim-admin";
import { upcomingMaintenanceWindows } from "@/server/sim/http/routes/exchange";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { addMarket } from "@/server/sim/testing/engine-fixtures";
import { createTestAccount } from "@/server/sim/testing/new-account";

let sim: RunningSim;
let api: ExchangeApi;

beforeAll(async () => {
  sim = await startSimExchange({ port: 0, bots: false });
  addMarket(sim.exchange.state, {
    ticker: "KXFEE-26JAN01-T50",
    eventTicker: "KXFEE-26JAN01",
    seriesTicker: "KXFEE",
  });
  api = new ExchangeApi(new Configuration({ basePath: sim.restBaseUrl }));
});

afterAll(async () => {
  await sim.close();
});

async function getJson(path: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${sim.restBaseUrl}${path}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

function etParts(iso: string) {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone: "America/New_York",
    weekday: "long",
    hour: "2-digit",
    minute: "2-digit",
    hourCycle: "h23",
  }).formatToParts(new Date(iso));
  const get = (t: string) => parts.find((p) => p.type === t)?.value;
  return `${get("weekday")} ${get("hour")}:${get("minute")}`;
}

describe("GET /exchange/status", () => {
  it("is public and reports an open exchange", async () => {
    const { status, body } = await getJson("/exchange/status");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      exchange_active: true,
      trading_active: true,
      intra_exchange_transfers_active: true,
      exchange_estimated_resume_time: null,
    });
    const { data } = await api.getExchangeStatus();
    expect(data.exchange_active).toBe(true);
    expect(data.trading_active).toBe(true);
    for (const index of data.exchange_index_statuses ?? []) {
      for (const field of [
        "exchange_index",
        "description",
        "exchange_active",
        "trading_active",
        "intra_exchange_transfers_active",
      ]) {
        expect(index).toHaveProperty(field);
      }
    }
  });

  it("reflects a trading pause and an exchange pause, then the resume", async () => {
    try {
      pauseExchange(sim.exchange, "trading", 30);
      let { data } = await api.getExchangeStatus();
      expect(data.exchange_active).toBe(true);
      expect(data.trading_active).toBe(false);
      const resumeAt = Date.parse(data.exchange_estimated_resume_time ?? "");
      expect(Math.abs(resumeAt - (Date.now() + 30 * 60_000))).toBeLessThan(10_000);

      pauseExchange(sim.exchange, "exchange");
      ({ data } = await api.getExchangeStatus());
      expect(data).toMatchObject({
        exchange_active: false,
        trading_active: false,
        exchange_estimated_resume_time: null,
      });

      const { body } = await getJson("/exchange/announcements");
      const first = (body.announcements as Array<Record<string, unknown>>)[0];
      expect(first).toMatchObject({ type: "error", status: "active" });
    } finally {
      resumeExchange(sim.exchange);
    }
    const { data } = await api.getExchangeStatus();
    expect(data).toMatchObject({ exchange_active: true, trading_active: true });
  });
});

describe("GET /exchange/schedule", () => {
  it("has every required field, standard hours all week and Thursday 03:00–05:00 ET maintenance", async () => {
    const { data } = await api.getExchangeSchedule();
    const { schedule } = data;
    expect(schedule.standard_hours.length).toBeGreaterThan(0);
    const days = [
      "monday",
      "tuesday",
      "wednesday",
      "thursday",
      "friday",
      "saturday",
      "sunday",
    ] as const;
    for (const week of schedule.standard_hours) {
      expect(Number.isNaN(Date.parse(week.start_time))).toBe(false);
      expect(Number.isNaN(Date.parse(week.end_time))).toBe(false);
      for (const day of days) {
        expect(week[day].length).toBeGreaterThan(0);
        for (const session of week[day]) {
          expect(session.open_time).toMatch(/^\d\d:\d\d$/);
          expect(session.close_time).toMatch(/^\d\d:\d\d$/);
        }
      }
      expect(week.thursday).toEqual([
        { open_time: "00:00", close_time: "03:00" },
        { open_time: "05:00", close_time: "24:00" },
      ]);
    }
    expect(schedule.maintenance_windows.length).toBeGreaterThan(0);
    for (const window of schedule.maintenance_windows) {
      expect(etParts(window.start_datetime)).toBe("Thursday 03:00");
      expect(etParts(window.end_datetime)).toBe("Thursday 05:00");
      expect(Date.parse(window.end_datetime)).toBeGreaterThan(Date.now());
    }
  });

  it("places windows correctly across daylight saving changes", () => {
    // Wednesday 2026-03-11 (EDT since Mar 8) and Wednesday 2026-11-04 (EST since Nov 1).
    const summer = upcomingMaintenanceWindows(Date.UTC(2026, 2, 11, 12), 1)[0];
    expect(summer && new Date(summer.start).toISOString()).toBe("2026-03-12T07:00:00.000Z");
    const winter = upcomingMaintenanceWindows(Date.UTC(2026, 10, 4, 12), 1)[0];
    expect(winter && new Date(winter.start).toISOString()).toBe("2026-11-05T08:00:00.000Z");
    // During a window, that window is listed first.
    const during = upcomingMaintenanceWindows(Date.UTC(2026, 10, 5, 9), 1)[0];
    expect(during && new Date(during.start).toISOString()).toBe("2026-11-05T08:00:00.000Z");
  });
});

describe("GET /exchange/announcements", () => {
  it("lists seeded announcements in the documented shape", async () => {
    const { status, body } = await getJson("/exchange/announcements");
    expect(status).toBe(200);
    const announcements = body.announcements as Array<Record<string, unknown>>;
    expect(announcements.length).toBeGreaterThanOrEqual(2);
    for (const a of announcements) {
      expect(["info", "warning", "error"]).toContain(a.type);
      expect(["active", "inactive"]).toContain(a.status);
      expect(typeof a.message).toBe("string");
      expect(Number.isNaN(Date.parse(String(a.delivery_time)))).toBe(false);
    }
  });
});

describe("GET /exchange/user_data_timestamp", () => {
  it("is public, as on its docs page (security: [])", async () => {
    const response = await fetch(`${sim.restBaseUrl}/exchange/user_data_timestamp`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as { as_of_time: string };
    expect(new Date(body.as_of_time).getTime()).toBe(sim.exchange.state.userDataTimestamp);
  });

  it("returns as_of_time, signed raw and through the SDK", async () => {
    const account = await createTestAccount(sim.restBaseUrl);
    const response = await account.fetch("/exchange/user_data_timestamp");
    expect(response.status).toBe(200);
    const body = (await response.json()) as { as_of_time: string };
    expect(new Date(body.as_of_time).getTime()).toBe(sim.exchange.state.userDataTimestamp);

    const signed = new ExchangeApi(
      new Configuration({
        basePath: sim.restBaseUrl,
        apiKey: account.apiKeyId,
        privateKeyPem: account.privateKeyPem,
      }),
    );
    const { data } = await signed.getUserDataTimestamp();
    expect(data.as_of_time).toBe(body.as_of_time);
  });
});

describe("GET /series/fee_changes", () => {
  it("lists upcoming changes, and past ones with show_historical", async () => {
    const upcoming = (await api.getSeriesFeeChanges()).data.series_fee_change_arr;
    const all = (await api.getSeriesFeeChanges(undefined, true)).data.series_fee_change_arr;
    expect(all.length).toBeGreaterThan(upcoming.length);
    for (const change of all) {
      for (const field of ["id", "series_ticker", "fee_type", "fee_multiplier", "scheduled_ts"]) {
        expect(change).toHaveProperty(field);
      }
    }
    expect(upcoming.every((c) => Date.parse(c.scheduled_ts) > Date.now())).toBe(true);
    const filtered = (await api.getSeriesFeeChanges("KXFEE", true)).data.series_fee_change_arr;
    expect(filtered.every((c) => c.series_ticker === "KXFEE")).toBe(true);
    expect((await api.getSeriesFeeChanges("NOPE", true)).data.series_fee_change_arr).toEqual([]);
  });

  it("rejects unknown query parameters with a 400 naming them", async () => {
    const { status, body } = await getJson("/series/fee_changes?bogus=1");
    expect(status).toBe(400);
    expect(body.message).toMatch(/bogus/);
  });
});
