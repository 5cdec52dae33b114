/**
 * Integration: credential onboarding against real simulators. Simulator A
 * plays "sim", simulator B plays "demo", so a key from the wrong environment
 * is a real 401 from a real exchange.
 */
import { generateKeyPairSync } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createUser } from "@/server/auth/users";
import { setEnvironmentEndpointsForTests } from "@/server/credentials/endpoints";
import {
  createSimulatorCredential,
  onboardCredential,
} from "@/server/credentials/onboard-credential";
import { parsePrivateKeyPem } from "@/server/credentials/parse-private-key";
import { listCredentials, loadActiveCredential } from "@/server/credentials/store";
import {
  createTestDatabase,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { AppError } from "@/server/http/app-error";
import { startSimExchange, type RunningSim } from "@/server/sim/start";
import { signRequest } from "@/server/sim/testing/signed-fetch";
import { createTestAccount, type TestAccount } from "@/server/sim/testing/new-account";

function catchAppError(fn: () => unknown): AppError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

async function rejectedWith(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

const rsa = generateKeyPairSync("rsa", { modulusLength: 2048 });

describe("parsePrivateKeyPem", () => {
  it("accepts PKCS#8 and PKCS#1 RSA keys", () => {
    const pkcs8 = rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString();
    const pkcs1 = rsa.privateKey.export({ type: "pkcs1", format: "pem" }).toString();
    expect(pkcs1).toContain("BEGIN RSA PRIVATE KEY");
    expect(parsePrivateKeyPem(pkcs8).asymmetricKeyType).toBe("rsa");
    expect(parsePrivateKeyPem(`\n  ${pkcs1.replace(/\n/g, "\r\n")}  \n`).asymmetricKeyType).toBe(
      "rsa",
    );
  });

  const cases: Array<[string, string, string]> = [
    ["random text", "hello, this is my key", "malformed_private_key"],
    [
      "a truncated PEM",
      rsa.privateKey.export({ type: "pkcs8", format: "pem" }).toString().slice(0, 300) +
        "\n-----END PRIVATE KEY-----",
      "malformed_private_key",
    ],
    [
      "a passphrase-protected PKCS#8 key",
      rsa.privateKey
        .export({ type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" })
        .toString(),
      "encrypted_private_key",
    ],
    [
      "a passphrase-protected PKCS#1 key",
      rsa.privateKey
        .export({ type: "pkcs1", format: "pem", cipher: "aes-256-cbc", passphrase: "pw" })
        .toString(),
      "encrypted_private_key",
    ],
    [
      "a public key",
      rsa.publicKey.export({ type: "spki", format: "pem" }).toString(),
      "public_key_not_private",
    ],
    [
      "a PKCS#1 public key",
      rsa.publicKey.export({ type: "pkcs1", format: "pem" }).toString(),
      "public_key_not_private",
    ],
    [
      "an EC key",
      generateKeyPairSync("ec", { namedCurve: "P-256" })
        .privateKey.export({ type: "pkcs8", format: "pem" })
        .toString(),
      "unsupported_key_type",
    ],
    [
      "an Ed25519 key",
      generateKeyPairSync("ed25519").privateKey.export({ type: "pkcs8", format: "pem" }).toString(),
      "unsupported_key_type",
    ],
  ];
  it.each(cases)(
    "explains %s (422 naming privateKeyPem) without echoing it",
    (_name, input, code) => {
      const error = catchAppError(() => parsePrivateKeyPem(input));
      expect(error.code).toBe(code);
      expect(error.status).toBe(422);
      expect(error.field).toBe("privateKeyPem");
      const body = input.split("\n").find((line) => line.length > 40 && !line.startsWith("-----"));
      if (body) expect(error.message).not.toContain(body);
    },
  );
});

describe("onboarding against the simulator", () => {
  let simA: RunningSim;
  let simB: RunningSim;
  let database: TestDatabase;
  let secrets: TestSecrets;
  let userId: string;
  let onA: TestAccount;
  let onB: TestAccount;

  beforeAll(async () => {
    secrets = await useTestSecrets();
    [simA, simB] = await Promise.all([
      startSimExchange({ port: 0, bots: false }),
      startSimExchange({ port: 0, bots: false }),
    ]);
    setEnvironmentEndpointsForTests({
      sim: { restBaseUrl: simA.restBaseUrl, wsUrl: simA.wsUrl },
      demo: { restBaseUrl: simB.restBaseUrl, wsUrl: simB.wsUrl },
      prod: undefined,
    });
    database = await createTestDatabase();
    userId = (
      await createUser(database.db, { email: "onboard@example.com", password: "onboarding pw" })
    ).id;
    [onA, onB] = await Promise.all([
      createTestAccount(simA.restBaseUrl),
      createTestAccount(simB.restBaseUrl),
    ]);
  });
  afterAll(async () => {
    setEnvironmentEndpointsForTests();
    await Promise.all([simA?.close(), simB?.close()]);
    await database?.destroy();
    await secrets?.restore();
  });

  it("validates a good key with a signed balance call and stores it", async () => {
    const view = await onboardCredential(database.db, userId, {
      label: "sim main",
      environment: "sim",
      apiKeyId: onA.apiKeyId,
      privateKeyPem: onA.privateKeyPem,
    });
    expect(view).toMatchObject({ environment: "sim", apiKeyId: onA.apiKeyId, active: true });
    const active = await loadActiveCredential(database.db, userId);
    expect(active?.restBaseUrl).toBe(simA.restBaseUrl);
    // The stored key really signs for that account.
    const path = new URL(`${simA.restBaseUrl}/portfolio/balance`).pathname;
    const headers = signRequest({
      apiKeyId: active?.apiKeyId ?? "",
      privateKey: active!.privateKey,
      method: "GET",
      path,
    });
    const response = await fetch(`${simA.restBaseUrl}/portfolio/balance`, {
      headers: { ...headers },
    });
    expect(response.status).toBe(200);
  });

  it("says the key id and private key do not match when the exchange answers 401", async () => {
    const other = generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs8", format: "pem" })
      .toString();
    const error = await rejectedWith(
      onboardCredential(database.db, userId, {
        label: "x",
        environment: "sim",
        apiKeyId: onA.apiKeyId,
        privateKeyPem: other,
      }),
    );
    expect(error.code).toBe("key_mismatch");
    expect(error.status).toBe(422);
    expect(error.message).toMatch(/do not match \(or the key was revoked\)/);
    const unknownId = await rejectedWith(
      onboardCredential(database.db, userId, {
        label: "x",
        environment: "sim",
        apiKeyId: "no-such-key",
        privateKeyPem: onA.privateKeyPem,
      }),
    );
    expect(unknownId.code).toBe("key_mismatch");
  });

  it("names the environment to try when the key belongs to another one", async () => {
    const error = await rejectedWith(
      onboardCredential(database.db, userId, {
        label: "x",
        environment: "sim",
        apiKeyId: onB.apiKeyId,
        privateKeyPem: onB.privateKeyPem,
      }),
    );
    expect(error.code).toBe("wrong_environment");
    expect(error.field).toBe("environment");
    expect(error.message).toMatch(/choose "demo"/);
    const back = await rejectedWith(
      onboardCredential(database.db, userId, {
        label: "x",
        environment: "demo",
        apiKeyId: onA.apiKeyId,
        privateKeyPem: onA.privateKeyPem,
      }),
    );
    expect(back.message).toMatch(/choose "sim"/);
  });

  it("blames the clock, not the key, when the timestamp is outside the exchange's window", async () => {
    const error = await rejectedWith(
      onboardCredential(
        database.db,
        userId,
        {
          label: "skewed",
          environment: "demo",
          apiKeyId: onB.apiKeyId,
          privateKeyPem: onB.privateKeyPem,
        },
        { now: () => Date.now() - 120_000 },
      ),
    );
    expect(error.code).toBe("clock_skew");
    expect(error.message).toMatch(/clock/);
  });

  it("refuses an environment this server has no endpoint for", async () => {
    const error = await rejectedWith(
      onboardCredential(database.db, userId, {
        label: "x",
        environment: "prod",
        apiKeyId: onA.apiKeyId,
        privateKeyPem: onA.privateKeyPem,
      }),
    );
    expect(error.code).toBe("environment_unavailable");
    expect(error.field).toBe("environment");
  });

  it("creates a funded simulator account in one call and stores its key", async () => {
    const fresh = (
      await createUser(database.db, { email: "newcomer@example.com", password: "newcomer pw!" })
    ).id;
    const view = await createSimulatorCredential(database.db, fresh);
    expect(view).toMatchObject({ environment: "sim", active: true, label: "Simulator account" });
    expect(await listCredentials(database.db, fresh)).toHaveLength(1);
    const active = await loadActiveCredential(database.db, fresh);
    const path = new URL(`${simA.restBaseUrl}/portfolio/balance`).pathname;
    const headers = signRequest({
      apiKeyId: active!.apiKeyId,
      privateKey: active!.privateKey,
      method: "GET",
      path,
    });
    const response = await fetch(`${simA.restBaseUrl}/portfolio/balance`, {
      headers: { ...headers },
    });
    expect(response.status).toBe(200);
    // On the Advanced tier, so subaccounts work out of the box.
    const limitsPath = new URL(`${simA.restBaseUrl}/account/limits`).pathname;
    const limits = await fetch(`${simA.restBaseUrl}/account/limits`, {
      headers: {
        ...signRequest({
          apiKeyId: active!.apiKeyId,
          privateKey: active!.privateKey,
          method: "GET",
          path: limitsPath,
        }),
      },
    });
    expect(((await limits.json()) as { usage_tier: string }).usage_tier).toBe("advanced");
    const subaccountPath = new URL(`${simA.restBaseUrl}/portfolio/subaccounts`).pathname;
    const subaccount = await fetch(`${simA.restBaseUrl}/portfolio/subaccounts`, {
      method: "POST",
      headers: {
        ...signRequest({
          apiKeyId: active!.apiKeyId,
          privateKey: active!.privateKey,
          method: "POST",
          path: subaccountPath,
        }),
      },
    });
    expect(subaccount.status).toBe(201);
  });
});
