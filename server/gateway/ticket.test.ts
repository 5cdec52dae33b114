import { describe, expect, it } from "vitest";
import { backoffDelay } from "@/server/gateway/options";
import { issueTicket, TicketReplayGuard, verifyTicket } from "@/server/gateway/ticket";

const secret = "s".repeat(40);

describe("gateway tickets", () => {
  it("verifies its own tickets once, and refuses expired, forged, tampered and garbage ones", () => {
    const now = 1_800_000_000_000;
    const { ticket } = issueTicket(secret, "user-1", now);
    const guard = new TicketReplayGuard();
    expect(verifyTicket(secret, ticket, now + 1_000, guard)).toEqual({
      userId: "user-1",
      exp: now + 60_000,
    });
    expect(verifyTicket(secret, ticket, now + 1_000, guard)).toBeNull(); // single use
    expect(verifyTicket(secret, ticket, now + 60_000)).toBeNull(); // expired
    expect(verifyTicket("x".repeat(40), ticket, now)).toBeNull();
    const [v, payload, sig] = ticket.split(".");
    const tampered = Buffer.from(
      JSON.stringify({ sub: "user-2", exp: now + 60_000, jti: "a" }),
    ).toString("base64url");
    expect(verifyTicket(secret, `${v}.${tampered}.${sig}`, now)).toBeNull();
    expect(verifyTicket(secret, `${v}.${payload}`, now)).toBeNull();
    expect(verifyTicket(secret, "garbage", now)).toBeNull();
  });
});

describe("backoff", () => {
  it("is full jitter under a capped exponential ceiling", () => {
    expect(backoffDelay(0, 500, 30_000, () => 0.999)).toBe(499);
    expect(backoffDelay(3, 500, 30_000, () => 0.5)).toBe(2_000);
    expect(backoffDelay(20, 500, 30_000, () => 0.999)).toBe(29_970);
    expect(backoffDelay(5, 500, 30_000, () => 0)).toBe(0);
  });
});
