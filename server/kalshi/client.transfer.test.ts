/**
 * Subaccount transfers are idempotent on client_transfer_id: the client sends
 * a UUID (its own when the caller gave none), reuses it on a retry, and
 * reads a 409 that answers a retry as "the earlier attempt landed".
 */
import { generateKeyPairSync } from "node:crypto";

import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";

import { TransferBody } from "@/lib/schemas/subaccount";

import { createKalshiClient } from "./client";
import { KalshiError } from "./errors";
import { BASIC_TIER_BUDGET, RateLimiter } from "./rate-limits";
import { createFakeClock, type FakeClock } from "./testing/fake-clock";
import { json, startHttpStub, type HttpStub } from "./testing/http-stub";

const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
let stub: HttpStub;
let clock: FakeClock;

const client = () =>
  createKalshiClient({
    apiKeyId: "key-1",
    privateKey,
    restBaseUrl: stub.restBaseUrl,
    clock,
    random: () => 0.5,
    limiter: new RateLimiter(clock),
    budget: BASIC_TIER_BUDGET,
    log: () => undefined,
  });

const transfer = { from_subaccount: 0, to_subaccount: 1, amount_cents: 500 };
const duplicate = {
  code: "TRANSFER_ALREADY_EXISTS",
  message: "client_transfer_id was already used",
};

beforeAll(async () => {
  stub = await startHttpStub();
});
afterAll(() => stub.close());
beforeEach(() => {
  stub.requests.length = 0;
  clock = createFakeClock(Date.now());
});

describe("transferBetweenSubaccounts", () => {
  it("sends a generated UUID and reuses it when a 5xx makes it retry", async () => {
    let calls = 0;
    stub.handle((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 503, "busy");
      json(res, 200, {});
    });
    const result = await client().transferBetweenSubaccounts(transfer);
    const ids = stub.requests.map(
      (r) => (JSON.parse(r.body) as { client_transfer_id: string }).client_transfer_id,
    );
    expect(ids).toHaveLength(2);
    expect(ids[0]).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(ids[1]).toBe(ids[0]);
    expect(result.client_transfer_id).toBe(ids[0]);
  });

  it("treats a 409 on a retry as the earlier attempt having landed", async () => {
    let calls = 0;
    stub.handle((_req, res) => {
      calls += 1;
      if (calls === 1) return json(res, 502, "bad gateway");
      json(res, 409, duplicate);
    });
    await expect(client().transferBetweenSubaccounts(transfer)).resolves.toMatchObject({
      client_transfer_id: expect.any(String),
    });
  });

  it("keeps a 409 on the first attempt: the caller reused an id", async () => {
    stub.handle((_req, res) => json(res, 409, duplicate));
    const error = await client()
      .transferBetweenSubaccounts({
        ...transfer,
        client_transfer_id: "5b0c8f4e-4c1d-4a57-9d0e-2f6a1c3b7e91",
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiError);
    expect(error).toMatchObject({ status: 409, code: "TRANSFER_ALREADY_EXISTS" });
  });

  it("accepts only a UUID as client_transfer_id at the BFF, as Kalshi requires", () => {
    const bad = TransferBody.safeParse({ ...transfer, client_transfer_id: "my-transfer-1" });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(["client_transfer_id"]);
    expect(
      TransferBody.safeParse({
        ...transfer,
        client_transfer_id: "5b0c8f4e-4c1d-4a57-9d0e-2f6a1c3b7e91",
      }).success,
    ).toBe(true);
  });
});
