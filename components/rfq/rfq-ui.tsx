"use client";
/**
 * Small pieces the requester and maker desks share: a titled panel, money
 * and price text from exact integers, a ticking clock for ages and
 * countdowns, and the live book quote (REST snapshot + gateway ticker) of a
 * market.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";

import { safeMicros } from "@/lib/format";
import { useTicker } from "@/lib/gateway/hooks";
import { ONE_CENT, ONE_DOLLAR, parseCount, type Micros } from "@/lib/fixed-point";
import { marketOptions } from "@/lib/queries/markets";
import { midOf } from "@/lib/rfq/rfq-math";

export function Panel(props: {
  title: string;
  id: string;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
}) {
  return (
    <section
      aria-labelledby={props.id}
      className={`min-w-0 rounded-lg border border-line bg-panel ${props.className ?? ""}`}
    >
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
        <h2
          id={props.id}
          className="flex-1 text-xs font-medium tracking-wide text-ink-muted uppercase"
        >
          {props.title}
        </h2>
        {props.actions}
      </div>
      <div className="p-3">{props.children}</div>
    </section>
  );
}

/** "$12.34" (cents, sign kept). */
export function usd(micros: Micros | undefined): string {
  if (micros === undefined) return "—";
  const sign = micros < 0 ? "−" : "";
  const cents = Math.round(Math.abs(micros) / ONE_CENT);
  return `${sign}$${Math.floor(cents / 100).toLocaleString("en-US")}.${String(cents % 100).padStart(2, "0")}`;
}

/** "42¢" or "42.5¢" for a price in micro-dollars. */
export function cents(micros: Micros | undefined): string {
  if (micros === undefined) return "—";
  const value = micros / ONE_CENT;
  return `${Number.isInteger(value) ? value : value.toFixed(1)}¢`;
}

/** Parses a Kalshi dollars string to micro-dollars; undefined when absent or malformed. */
export function micros(dollars: unknown): Micros | undefined {
  return typeof dollars === "string" ? safeMicros(dollars) : undefined;
}

/** Centi-contracts of a "10.00" count string (exact); 0 when absent or malformed. */
export function centis(count: unknown): number {
  if (typeof count !== "string") return 0;
  try {
    return parseCount(count);
  } catch {
    return 0;
  }
}

/** Epoch ms now, re-rendering every `everyMs` while mounted. */
export function useNow(everyMs = 250): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

/** "12s", "3m 04s", "1h 02m" */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m ${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(m / 60)}h ${String(m % 60).padStart(2, "0")}m`;
}

export function ageOf(iso: string | undefined, now: number): string {
  const at = iso ? Date.parse(iso) : NaN;
  return Number.isFinite(at) ? duration(now - at) : "—";
}

export interface BookQuote {
  yesBid: Micros | undefined;
  yesAsk: Micros | undefined;
  mid: Micros | undefined;
  title: string | undefined;
}

/** Best bid/ask and mid of a market: REST first, then the gateway's ticker topic. */
export function useBookQuote(ticker: string | null): BookQuote {
  const market = useQuery({
    ...marketOptions(ticker ?? ""),
    enabled: ticker !== null,
    retry: false,
  });
  const live = useTicker(ticker);
  const msg = live.ticker ?? {};
  const pick = (a: unknown, b: unknown) => {
    const value = micros(a) ?? micros(b);
    // Kalshi reports an empty side as 0 (bid) or $1 (ask): no price.
    return value === undefined || value <= 0 || value >= ONE_DOLLAR ? undefined : value;
  };
  const yesBid = pick(msg.yes_bid_dollars, market.data?.yes_bid_dollars);
  const yesAsk = pick(msg.yes_ask_dollars, market.data?.yes_ask_dollars);
  return { yesBid, yesAsk, mid: midOf(yesBid, yesAsk), title: market.data?.title };
}

export const inputClass =
  "w-full min-w-0 rounded border border-line bg-surface px-2 py-1.5 text-sm text-ink focus:border-accent focus:outline-none";
export const buttonClass =
  "rounded border border-line bg-panel-raised px-3 py-1.5 text-sm font-medium text-ink hover:border-accent disabled:cursor-not-allowed disabled:opacity-50";
export const primaryButtonClass =
  "rounded bg-accent px-3 py-1.5 text-sm font-semibold text-surface hover:brightness-110 disabled:cursor-not-allowed disabled:opacity-50";
