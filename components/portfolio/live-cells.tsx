"use client";
/**
 * The cells of a position row that move with the market: mark, market value,
 * unrealised P&L in dollars and percent. They subscribe to their ticker in the
 * MarkStore and write their text straight into the DOM, so a tick re-renders
 * no React component and only visible rows (the table is virtualised) pay.
 */
import { useLayoutEffect, useRef } from "react";

import type { Centis, Micros } from "@/lib/fixed-point";
import { notional, ONE_DOLLAR } from "@/lib/fixed-point";
import type { PositionSide } from "@/lib/portfolio/figures";
import { formatBps, formatPriceCentsExact, formatUsd, pnlTone } from "@/lib/portfolio/format-money";

import type { MarkStore } from "./mark-store";

export interface LiveCellsProps {
  store: MarkStore;
  ticker: string;
  side: PositionSide;
  contracts: Centis;
  cost: Micros;
  cellClass: string;
}

const TONES = ["text-yes", "text-no", "text-ink"];

function setTone(element: HTMLElement, tone: string): void {
  element.classList.remove(...TONES);
  element.classList.add(tone);
}

/** Writes the four live cells from the current mark (also used by the benchmark). */
export function paintLiveCells(
  cells: { mark: HTMLElement; value: HTMLElement; pnl: HTMLElement; pct: HTMLElement },
  yes: Micros | null | undefined,
  props: Pick<LiveCellsProps, "side" | "contracts" | "cost">,
): void {
  if (props.side === "flat") {
    cells.mark.textContent = "—";
    cells.value.textContent = "$0.00";
    cells.pnl.textContent = "—";
    cells.pct.textContent = "—";
    return;
  }
  const mark = yes == null ? null : props.side === "yes" ? yes : ONE_DOLLAR - yes;
  const value = mark === null ? null : notional(mark, props.contracts);
  const pnl = value === null ? null : value - props.cost;
  const bps = pnl === null || props.cost === 0 ? null : Math.round((pnl * 10_000) / props.cost);
  cells.mark.textContent = formatPriceCentsExact(mark);
  cells.value.textContent = formatUsd(value);
  cells.pnl.textContent = formatUsd(pnl, { signed: true });
  cells.pct.textContent = formatBps(bps);
  setTone(cells.pnl, pnlTone(pnl));
  setTone(cells.pct, pnlTone(pnl));
}

export function LiveCells({ store, ticker, side, contracts, cost, cellClass }: LiveCellsProps) {
  const mark = useRef<HTMLTableCellElement>(null);
  const value = useRef<HTMLTableCellElement>(null);
  const pnl = useRef<HTMLTableCellElement>(null);
  const pct = useRef<HTMLTableCellElement>(null);
  useLayoutEffect(() => {
    const paint = () => {
      if (!mark.current || !value.current || !pnl.current || !pct.current) return;
      paintLiveCells(
        { mark: mark.current, value: value.current, pnl: pnl.current, pct: pct.current },
        store.get(ticker)?.yes,
        { side, contracts, cost },
      );
    };
    paint();
    return store.subscribe(ticker, paint);
  }, [store, ticker, side, contracts, cost]);
  return (
    <>
      <td ref={mark} className={cellClass} data-cell="mark" />
      <td ref={value} className={cellClass} data-cell="value" />
      <td ref={pnl} className={cellClass} data-cell="unrealised" />
      <td ref={pct} className={`${cellClass} hidden sm:table-cell`} data-cell="unrealised-pct" />
    </>
  );
}
