"use client";
/** The kill switch: one click cancels every working order everywhere and triggers every order group. */
import { useState } from "react";

import {
  useOrderGroupActions,
  type KillSwitchResult,
} from "@/components/trading/orders/use-order-groups";

export function KillSwitch() {
  const { kill } = useOrderGroupActions();
  const [result, setResult] = useState<KillSwitchResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function run() {
    setError(null);
    try {
      setResult(await kill.mutateAsync());
    } catch (caught) {
      setError(
        caught instanceof Error ? caught.message : "The kill switch could not reach the server.",
      );
    }
  }

  return (
    <div className="flex flex-col gap-1">
      <button
        type="button"
        onClick={() => void run()}
        disabled={kill.isPending}
        className="w-full rounded-md border-2 border-no bg-no/15 px-2 py-1.5 text-sm font-bold tracking-wide text-no uppercase hover:bg-no/25 disabled:opacity-60"
      >
        {kill.isPending ? "Killing…" : "Kill switch"}
      </button>
      <p className="text-[11px] text-ink-muted">
        Cancels all my working orders everywhere and triggers every order group.
      </p>
      {result ? (
        <p
          role="status"
          className={`text-[11px] ${result.orders.failed.length || result.groupsFailed ? "text-no" : "text-ink"}`}
        >
          Kill switch: cancelled {result.orders.cancelled.length} order(s)
          {result.orders.failed.length ? `, ${result.orders.failed.length} failed` : ""}; triggered{" "}
          {result.groupsTriggered} group(s)
          {result.groupsFailed ? `, ${result.groupsFailed} failed` : ""}.
        </p>
      ) : null}
      {error ? (
        <p role="alert" className="text-[11px] text-no">
          {error}
        </p>
      ) : null}
    </div>
  );
}
