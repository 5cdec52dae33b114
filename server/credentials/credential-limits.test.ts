/**
 * Per-user caps on stored keys (MAX_CREDENTIALS_PER_USER) and on one-click
 * simulator accounts (MAX_SIM_ACCOUNTS_PER_USER), against a real simulator
 * and on each database dialect: the request over the cap answers 409 with
 * its code, stores nothing, creates no simulator account, and the cap is per
 * user and frees up when a key is deleted.
 */
import { generateKeyPairSync } from "node:crypto";

import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { createUser } from "@/server/auth/users";
import { setEnvironmentEndpointsForTests } from "@/server/credentials/endpoints";
import {
  createSimulatorCredential,
  onboardCredential,
} from "@/server/credentials/onboard-credential";
import { addCredential, deleteCredential, listCredentials } from "@/server/credentials/store";
import {
  createTestDatabase,
  TEST_DIALECTS,
  useTestSecrets,
  type TestDatabase,
  type TestSecrets,
} from "@/server/db/testing";
import { AppError } from "@/server/http/app-error";
import { startSimExchange, type RunningSim } from "@/server/sim/start";

async function rejectedWith(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error("expected an AppError");
}

function rsaPem(): string {
  return generateKeyPairSync("rsa", { modulusLength: 2048 })
    .privateKey.export({ type: "pkcs8", format: "pem" })
    .toString();
}

describe.each(TEST_DIALECTS)("per-user credential caps on $dialect", ({ dialect, skip }) => {
  let secrets: TestSecrets;
  let database: TestDatabase;
  let sim: RunningSim;

  beforeAll(async () => {
    if (skip) return;
    secrets = await useTestSecrets({
      MAX_CREDENTIALS_PER_USER: "3",
      MAX_SIM_ACCOUNTS_PER_USER: "2",
    });
    sim = await startSimExchange({ port: 0, bots: false });
    setEnvironmentEndpointsForTests({
      sim: { restBaseUrl: sim.restBaseUrl, wsUrl: sim.wsUrl },
      demo: undefined,
      prod: undefined,
    });
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    if (skip) return;
    setEnvironmentEndpointsForTests();
    await sim?.close();
    await database?.destroy();
    await secrets?.restore();
  });

  it.skipIf(skip)(
    "stops simulator accounts at MAX_SIM_ACCOUNTS_PER_USER without creating one",
    async () => {
      const userId = (
        await createUser(database.db, { email: "capped@example.com", password: "capped user pw" })
      ).id;
      const simUsers = () => sim.exchange.state.users.size;
      await createSimulatorCredential(database.db, userId);
      await createSimulatorCredential(database.db, userId, { label: "second" });
      const before = simUsers();
      const error = await rejectedWith(
        createSimulatorCredential(database.db, userId, { label: "third" }),
      );
      expect(error.status).toBe(409);
      expect(error.code).toBe("sim_account_limit");
      // Refused before the simulator was asked: no orphan account there, no row here.
      expect(simUsers()).toBe(before);
      expect(await listCredentials(database.db, userId)).toHaveLength(2);

      // Another user has a cap of their own.
      const other = (
        await createUser(database.db, { email: "other@example.com", password: "other user pw!" })
      ).id;
      await createSimulatorCredential(database.db, other);
      expect(simUsers()).toBe(before + 1);
    },
  );

  it.skipIf(skip)(
    "stops stored keys at MAX_CREDENTIALS_PER_USER on every path, and frees room on delete",
    async () => {
      const userId = (
        await createUser(database.db, { email: "keys@example.com", password: "many keys pw!" })
      ).id;
      await createSimulatorCredential(database.db, userId);
      // Keys added directly (a key validated elsewhere): the store counts every environment.
      for (const apiKeyId of ["demo-key-1", "demo-key-2"]) {
        await addCredential(database.db, {
          userId,
          label: apiKeyId,
          environment: "demo",
          apiKeyId,
          privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
        });
      }
      expect(await listCredentials(database.db, userId)).toHaveLength(3);

      // The store itself refuses a fourth (checked inside the insert's transaction)…
      const direct = await rejectedWith(
        addCredential(database.db, {
          userId,
          label: "fourth",
          environment: "demo",
          apiKeyId: "demo-key-3",
          privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
        }),
      );
      expect(direct.status).toBe(409);
      expect(direct.code).toBe("credential_limit");
      // …and onboarding refuses before asking any exchange (demo has no endpoint here,
      // which would otherwise answer environment_unavailable).
      const onboarding = await rejectedWith(
        onboardCredential(database.db, userId, {
          label: "fourth",
          environment: "demo",
          apiKeyId: "demo-key-3",
          privateKeyPem: rsaPem(),
        }),
      );
      expect(onboarding.code).toBe("credential_limit");
      // A simulator account is refused by the total cap too, before the simulator is asked.
      const simUsers = sim.exchange.state.users.size;
      const simAccount = await rejectedWith(createSimulatorCredential(database.db, userId));
      expect(simAccount.code).toBe("credential_limit");
      expect(sim.exchange.state.users.size).toBe(simUsers);
      expect(await listCredentials(database.db, userId)).toHaveLength(3);

      // Deleting one makes room for exactly one more.
      const [first] = await listCredentials(database.db, userId);
      await deleteCredential(database.db, userId, first?.id ?? "");
      await addCredential(database.db, {
        userId,
        label: "replacement",
        environment: "demo",
        apiKeyId: "demo-key-4",
        privateKey: generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey,
      });
      expect(await listCredentials(database.db, userId)).toHaveLength(3);
    },
  );
});
