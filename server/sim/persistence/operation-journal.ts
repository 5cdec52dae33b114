/**
 * The hook through which state-changing code reaches the journal, when the
 * exchange has one (a DATA_DIR was given; see docs/simulator-persistence.md).
 * Only types here: the state and the modules that mutate it depend on this
 * interface, the journal implementation (recorder.ts) depends on them.
 */

/** An RSA key pair as PEM strings. */
export interface PemKeyPair {
  publicKeyPem: string;
  privateKeyPem: string;
}

export interface OperationJournal {
  /**
   * Runs `apply` as one operation: written to the journal first (with the clock
   * time and id/random state) unless it is nested in another journaled
   * operation or HTTP request, or the journal is replaying. `kind` names an
   * entry of the replay table (persistence/replay-table.ts), `args` are its
   * JSON-safe arguments.
   */
  call<T>(kind: string, args: readonly unknown[], apply: () => T): T;
  /**
   * Key generation is the one thing replay cannot recompute: live, the public
   * half is kept with the request's record; on replay it comes back from it
   * (the private half never reaches the disk and replay returns it empty).
   */
  keyPair(generate: () => PemKeyPair): PemKeyPair;
  /**
   * While an HTTP record replays: the API key id it was authenticated with
   * (null: none). Undefined when not replaying: authenticate as usual.
   */
  replayKeyId(): string | null | undefined;
}
