/**
 * /api/watchlist route handlers in-process: the real sessionRoute wrapper
 * (session cookie, Origin check), a real PGlite database, zod validation.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { DELETE as remove } from "@/app/api/watchlist/[ticker]/route";
import { GET as list, POST as add } from "@/app/api/watchlist/route";
import { routeParams, sessionCookieFor, testRequest } from "@/server/auth/testing";
import { createUser, type AccountUser } from "@/server/auth/users";
import { setDatabaseForTests } from "@/server/db/client";
import {
  createTestDatabase,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";

const noParams = routeParams({});
let database: TestDatabase;
let secrets: TestSecrets;
let alice: AccountUser;
let aliceCookie: string;
let bobCookie: string;

beforeAll(async () => {
  secrets = await useTestSecrets();
  database = await createTestDatabase();
  setDatabaseForTests(database);
  alice = await createUser(database.db, { email: "alice@example.com", password: "alice password" });
  const bob = await createUser(database.db, {
    email: "bob@example.com",
    password: "bob password!!",
  });
  aliceCookie = await sessionCookieFor(alice);
  bobCookie = await sessionCookieFor(bob);
});

afterAll(async () => {
  setDatabaseForTests(undefined);
  await database?.destroy();
  await secrets?.restore();
});

async function tickers(cookie: string): Promise<string[]> {
  const response = await list(testRequest("/api/watchlist", { cookie }), noParams);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { items: Array<{ ticker: string }> };
  return body.items.map((item) => item.ticker);
}

describe("/api/watchlist", () => {
  it("refuses callers without a session", async () => {
    const response = await list(testRequest("/api/watchlist"), noParams);
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: { code: "unauthenticated", message: expect.any(String) },
    });
  });

  it("adds (idempotently), lists newest first and removes, per user", async () => {
    const first = await add(
      testRequest("/api/watchlist", { cookie: aliceCookie, json: { ticker: "KXCPI-26OCT-T0.2" } }),
      noParams,
    );
    expect(first.status).toBe(201);
    await add(
      testRequest("/api/watchlist", {
        cookie: aliceCookie,
        json: { ticker: "KXBTC-26NOV2118-B104250" },
      }),
      noParams,
    );
    await add(
      testRequest("/api/watchlist", { cookie: aliceCookie, json: { ticker: "KXCPI-26OCT-T0.2" } }),
      noParams,
    );
    expect(new Set(await tickers(aliceCookie))).toEqual(
      new Set(["KXCPI-26OCT-T0.2", "KXBTC-26NOV2118-B104250"]),
    );
    // Bob sees only his own (empty) list.
    expect(await tickers(bobCookie)).toEqual([]);

    const removed = await remove(
      testRequest("/api/watchlist/KXCPI-26OCT-T0.2", { cookie: aliceCookie, method: "DELETE" }),
      routeParams({ ticker: "KXCPI-26OCT-T0.2" }),
    );
    expect(removed.status).toBe(200);
    expect(await tickers(aliceCookie)).toEqual(["KXBTC-26NOV2118-B104250"]);
  });

  it("refuses cross-site mutations and changes nothing", async () => {
    const before = await tickers(aliceCookie);
    const response = await add(
      testRequest("/api/watchlist", {
        cookie: aliceCookie,
        json: { ticker: "EVIL-1" },
        origin: "https://evil.example",
      }),
      noParams,
    );
    expect(response.status).toBe(403);
    const del = await remove(
      testRequest("/api/watchlist/KXBTC-26NOV2118-B104250", {
        cookie: aliceCookie,
        method: "DELETE",
        origin: null,
      }),
      routeParams({ ticker: "KXBTC-26NOV2118-B104250" }),
    );
    expect(del.status).toBe(403);
    expect(await tickers(aliceCookie)).toEqual(before);
  });

  it("answers bad input with 400 naming the field, and changes nothing", async () => {
    const before = await tickers(aliceCookie);
    for (const json of [{ ticker: "bad ticker!" }, {}, { ticker: "A", extra: 1 }]) {
      const response = await add(
        testRequest("/api/watchlist", { cookie: aliceCookie, json }),
        noParams,
      );
      expect(response.status).toBe(400);
      const body = (await response.json()) as { error: { code: string; field?: string } };
      expect(body.error.code).toBe("invalid_request");
    }
    const response = await add(
      testRequest("/api/watchlist", { cookie: aliceCookie, json: { ticker: "bad ticker!" } }),
      noParams,
    );
    expect(((await response.json()) as { error: { field?: string } }).error.field).toBe("ticker");
    expect(await tickers(aliceCookie)).toEqual(before);
  });
});
