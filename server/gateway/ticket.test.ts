import { describe, expect, it } from "vitest";
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
      jti: expect.any(String) as unknown,
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
