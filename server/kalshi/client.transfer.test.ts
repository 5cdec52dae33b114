/**
 * Subaccount transfers are idempotent on client_transfer_id: the client sends
 * a UUID (its own when the caller gave none), reuses it on a retry, and
 * reads a duplicate-id 409 that answers a retry as "the earlier attempt
 * landed" only after finding that transfer in the transfer list.
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

  /** A transfer as GET /portfolio/subaccounts/transfers lists it. */
  const listed = (overrides: Record<string, unknown> = {}) => ({
    transfer_id: "t-1",
    from_subaccount: transfer.from_subaccount,
    to_subaccount: transfer.to_subaccount,
    amount_cents: transfer.amount_cents,
    created_ts: Math.floor(clock.now() / 1000),
    exchange_index: 0,
    ...overrides,
  });

  /** POSTs answered by `posts` in turn; the transfer list answered with `transfers`. */
  function script(posts: Array<[number, unknown]>, transfers: unknown[] = []) {
    let calls = 0;
    stub.handle((req, res) => {
      if (req.method === "GET") return json(res, 200, { transfers, cursor: "" });
      const [status, body] = posts[Math.min(calls, posts.length - 1)] ?? [500, "unscripted"];
      calls += 1;
      json(res, status, body);
    });
  }

  it("treats a 409 on a retry as landed once the transfer is found in the transfer list", async () => {
    script(
      [
        [502, "bad gateway"],
        [409, duplicate],
      ],
      [listed()],
    );
    await expect(client().transferBetweenSubaccounts(transfer)).resolves.toMatchObject({
      client_transfer_id: expect.any(String),
    });
    expect(stub.requests.map((r) => r.method)).toEqual(["POST", "POST", "GET"]);
  });

  it("refuses a 409 on a retry when no such transfer was made (the id was used by another one)", async () => {
    script(
      [
        [502, "bad gateway"],
        [409, duplicate],
      ],
      [listed({ amount_cents: 700 }), listed({ to_subaccount: 2 })],
    );
    const error = await client()
      .transferBetweenSubaccounts(transfer)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiError);
    expect(error).toMatchObject({ status: 409, code: "client_transfer_id_reused" });
  });

  it("does not count a 429 as an attempt that could have landed", async () => {
    script(
      [
        [429, { error: "too many requests" }],
        [409, duplicate],
      ],
      [listed()],
    );
    const error = await client()
      .transferBetweenSubaccounts(transfer)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiError);
    expect(error).toMatchObject({ status: 409, code: "client_transfer_id_reused" });
    // Nothing could have landed before the 409, so there was nothing to look up.
    expect(stub.requests.map((r) => r.method)).toEqual(["POST", "POST"]);
  });

  it("keeps a 409 with any other code after a retry", async () => {
    script(
      [
        [503, "busy"],
        [409, { code: "subaccount_locked", message: "locked for settlement" }],
      ],
      [listed()],
    );
    const error = await client()
      .transferBetweenSubaccounts(transfer)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KalshiError);
    expect(error).toMatchObject({ status: 409, code: "subaccount_locked" });
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
    expect(error).toMatchObject({ status: 409, code: "client_transfer_id_reused" });
    expect((error as KalshiError).message).toMatch(/new client_transfer_id/);
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
