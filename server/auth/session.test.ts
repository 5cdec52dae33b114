import { randomBytes } from "node:crypto";

import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { resetServerConfigForTests } from "@/server/config";
import {
  isRecentAuth,
  isSessionAlive,
  decodeSessionCookie,
  reissueSessionCookie,
  sessionCookieName,
  sessionTokenFromCookies,
  type SessionClaims,
} from "@/server/auth/session";

const HOUR = 3_600_000;
const policy = { sessionMaxHours: 12, reauthWindowMinutes: 15 };
const t0 = Date.UTC(2026, 0, 1, 9);
const claims: SessionClaims = {
  userId: "u-1",
  sessionId: "5a1d0c8e-1111-4222-8333-944445555666",
  email: "a@example.com",
  signedInAt: t0,
  authTime: t0,
};

describe("session policy", () => {
  it("ends a session 12 h after sign-in, however active it was", () => {
    expect(isSessionAlive(claims, t0 + 11 * HOUR, policy)).toBe(true);
    expect(isSessionAlive(claims, t0 + 12 * HOUR, policy)).toBe(false);
    expect(isSessionAlive(claims, t0 + 12 * HOUR, { ...policy, sessionMaxHours: 13 })).toBe(true);
  });

  it("refuses a sign-in time from the future", () => {
    expect(isSessionAlive(claims, t0 - 2 * HOUR, policy)).toBe(false);
  });

  it("treats the password as recent for the re-auth window only", () => {
    expect(isRecentAuth(claims, t0 + 14 * 60_000, policy)).toBe(true);
    expect(isRecentAuth(claims, t0 + 15 * 60_000, policy)).toBe(false);
    expect(
      isRecentAuth({ ...claims, authTime: t0 + 3 * HOUR }, t0 + 3 * HOUR + 60_000, policy),
    ).toBe(true);
    expect(isRecentAuth(claims, t0 + 16 * 60_000, { ...policy, reauthWindowMinutes: 30 })).toBe(
      true,
    );
    expect(isRecentAuth({ ...claims, authTime: t0 + HOUR }, t0, policy)).toBe(false);
  });
});

describe("session cookies", () => {
  const saved = { ...process.env };
  beforeAll(() => {
    process.env.AUTH_SECRET = randomBytes(32).toString("base64");
    resetServerConfigForTests();
  });
  afterAll(() => {
    process.env = { ...saved };
    resetServerConfigForTests();
  });

  it("uses the plain cookie name in development and __Secure- in production", () => {
    expect(sessionCookieName(false)).toBe("authjs.session-token");
    expect(sessionCookieName(true)).toBe("__Secure-authjs.session-token");
  });

  it("re-issues a session with a fresh auth time that reads back, HttpOnly and SameSite=Lax", async () => {
    const now = Date.now();
    const cookie = await reissueSessionCookie(
      { ...claims, signedInAt: now - HOUR, authTime: now - HOUR },
      now,
    );
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Lax/);
    expect(cookie).toMatch(/Max-Age=39600/);
    const pair = cookie.split(";")[0] ?? "";
    const read = await decodeSessionCookie(`other=1; ${pair}`, now, policy);
    expect(read).toEqual({
      userId: "u-1",
      sessionId: claims.sessionId,
      email: "a@example.com",
      signedInAt: now - HOUR,
      authTime: now,
    });
    expect(await decodeSessionCookie(pair, now - HOUR + 12 * HOUR + 1, policy)).toBeNull();
  });

  it("joins chunked cookies and ignores tampered or foreign tokens", async () => {
    const now = Date.now();
    const cookie = await reissueSessionCookie({ ...claims, signedInAt: now, authTime: now }, now);
    const token = (cookie.split(";")[0] ?? "").split("=")[1] ?? "";
    const name = sessionCookieName(false);
    expect(
      sessionTokenFromCookies(
        `${name}.0=${token.slice(0, 40)}; ${name}.1=${token.slice(40)}`,
        name,
      ),
    ).toBe(token);
    // Flip the third-to-last character to a different one, always.
    const flip = token.at(-3) === "A" ? "B" : "A";
    const tampered = `${token.slice(0, -3)}${flip}${token.slice(-2)}`;
    expect(tampered).not.toBe(token);
    expect(await decodeSessionCookie(`${name}=${tampered}`, now, policy)).toBeNull();
    const foreign = await encode({
      token: { uid: "u-1", sid: claims.sessionId, email: "x", signedInAt: now, authTime: now },
      secret: "another secret entirely, 32+ chars",
      salt: name,
    });
    expect(await decodeSessionCookie(`${name}=${foreign}`, now, policy)).toBeNull();
    expect(await decodeSessionCookie(null, now, policy)).toBeNull();
  });

  it("refuses a token without our claims (e.g. minted by another Auth.js flow)", async () => {
    const name = sessionCookieName(false);
    const bare = await encode({
      token: { sub: "u-1", email: "a@example.com" },
      secret: process.env.AUTH_SECRET ?? "",
      salt: name,
    });
    expect(await decodeSessionCookie(`${name}=${bare}`, Date.now(), policy)).toBeNull();
  });
});
