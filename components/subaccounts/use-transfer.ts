"use client";
/**
 * Moving cash between two subaccounts, once per intent. The form's intent
 * carries one `client_transfer_id`, made when the trader starts a transfer
 * and renewed only after it succeeded or the form changed; a double submit
 * shares the one request in flight, and a retry after a lost answer sends
 * the same id, so the exchange moves the money once. A "this id was already
 * used" answer can only mean an earlier send of this very intent landed (the
 * id is a fresh UUID per intent), so it is reported as done.
 */
import { useCallback, useRef } from "react";

import { useReauth } from "@/components/auth/use-reauth";

export interface TransferRequest {
  from_subaccount: number;
  to_subaccount: number;
  amount_cents: number;
}

export type TransferOutcome =
  | { ok: true; duplicate: boolean; clientTransferId: string }
  | { ok: false; code: string; message: string };

/** The BFF's and Kalshi's codes for "this client_transfer_id was already used". */
const DUPLICATE_CODES = new Set(["client_transfer_id_reused", "TRANSFER_ALREADY_EXISTS"]);

/** Sends in flight, by intent: a second submit while the first is out shares its answer. */
const inFlight = new Map<string, Promise<Answer>>();

type Answer =
  { ok: true; response: Response } | { ok: false; error: { code: string; message: string } };

function once(key: string, send: () => Promise<Answer>): Promise<Answer> {
  const pending = inFlight.get(key);
  if (pending) return pending;
  const promise = send().finally(() => inFlight.delete(key));
  inFlight.set(key, promise);
  return promise;
}

export function useTransfer() {
  const { run, dialogProps } = useReauth();
  const intent = useRef<string>(crypto.randomUUID());

  /** A new intent: call when the form changes (a different transfer). */
  const renew = useCallback(() => {
    intent.current = crypto.randomUUID();
  }, []);

  const send = useCallback(
    async (request: TransferRequest): Promise<TransferOutcome> => {
      const clientTransferId = intent.current;
      const body = JSON.stringify({ ...request, client_transfer_id: clientTransferId });
      let result: Answer;
      try {
        result = await once(`${clientTransferId}:${body}`, () =>
          run(() =>
            fetch("/api/subaccounts/transfers", {
              method: "POST",
              headers: { "content-type": "application/json" },
              body,
              credentials: "same-origin",
            }),
          ),
        );
      } catch {
        // No answer: the intent (and its id) stays, so sending again moves the money at most once.
        return {
          ok: false,
          code: "network",
          message:
            "Could not reach the server; the transfer may not have been made. Transfer again: it is made at most once.",
        };
      }
      const duplicate = !result.ok && DUPLICATE_CODES.has(result.error.code);
      if (result.ok || duplicate) {
        // Done: the next transfer is a new intent.
        if (intent.current === clientTransferId) renew();
        return { ok: true, duplicate, clientTransferId };
      }
      return { ok: false, code: result.error.code, message: result.error.message };
    },
    [run, renew],
  );

  return { send, renew, reauthDialogProps: dialogProps };
}
