"use client";

import { useCallback, useRef, useState } from "react";

import { readApiError, type ApiErrorBody } from "@/lib/api-error";

type Pending = { resolve: (confirmed: boolean) => void };

/**
 * Runs a request; when the server answers 401 `reauth_required`, opens the
 * re-auth dialog and, once the password is confirmed, sends it again (once).
 * Returns the final Response, or the error of a failed one.
 */
export function useReauth() {
  const [open, setOpen] = useState(false);
  const pending = useRef<Pending | null>(null);

  const askPassword = useCallback(
    () =>
      new Promise<boolean>((resolve) => {
        pending.current = { resolve };
        setOpen(true);
      }),
    [],
  );

  const settle = useCallback((confirmed: boolean) => {
    setOpen(false);
    pending.current?.resolve(confirmed);
    pending.current = null;
  }, []);

  const run = useCallback(
    async (
      send: () => Promise<Response>,
    ): Promise<{ ok: true; response: Response } | { ok: false; error: ApiErrorBody["error"] }> => {
      let response = await send();
      if (response.status === 401) {
        const error = await readApiError(response.clone());
        if (error.code === "reauth_required") {
          if (!(await askPassword()))
            return { ok: false, error: { code: "cancelled", message: "Cancelled." } };
          response = await send();
        }
      }
      if (response.ok) return { ok: true, response };
      return { ok: false, error: await readApiError(response) };
    },
    [askPassword],
  );

  return {
    run,
    /** Opens the dialog; resolves true once the password was confirmed (for useOrderActions' confirmReauth). */
    ask: askPassword,
    dialogProps: { open, onConfirmed: () => settle(true), onCancel: () => settle(false) },
  };
}
