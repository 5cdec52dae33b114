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

/**
 * Each live number sits in a box of fixed size whose content the browser
 * lays out on its own (`contain: size layout style`): a changed digit
 * relayouts that box, not the table around it (500 rows × 50 ticks a second
 * made table layout the biggest cost of a frame). The box's width, in `ch`,
 * fits the text it usually shows so columns do not twitch; a longer text
 * widens it once (fitBox), the one time the table relayouts for it. Not
 * paint-contained, so nothing is ever clipped.
 */
const LIVE_BOX = "inline-block h-5 align-top text-right [contain:size_layout_style]";

/**
 * Widens a live box to fit `text` (widths only grow, so the column settles).
 * One `ch` of slack: "%", "$" and "+" are a little wider than a digit.
 */
function fitBox(element: HTMLElement, text: string): void {
  const width = Number(element.dataset.ch ?? 0);
  if (text.length + 1 <= width) return;
  element.dataset.ch = String(text.length + 1);
  element.style.width = `${text.length + 1}ch`;
}

function setTone(element: HTMLElement, tone: string): void {
  if (element.classList.contains(tone)) return;
  element.classList.remove(...TONES);
  element.classList.add(tone);
}

/**
 * Replaces a cell's text only when it differs: assigning the same string still
 * swaps the text node and makes the browser lay the table out again, and most
 * ticks leave most cells as they were (a mark moves; the row's P&L in cents may not).
 */
function setText(element: HTMLElement, text: string): void {
  fitBox(element, text);
  const node = element.firstChild;
  if (node && node.nodeType === Node.TEXT_NODE && !node.nextSibling) {
    // Edit the existing text node in place: replacing it (textContent =) removes and
    // re-adds a layout object per cell per tick.
    if (node.nodeValue !== text) node.nodeValue = text;
  } else if (element.textContent !== text) element.textContent = text;
}

/** Writes the four live cells from the current mark (also used by the benchmark). */
export function paintLiveCells(
  cells: { mark: HTMLElement; value: HTMLElement; pnl: HTMLElement; pct: HTMLElement },
  yes: Micros | null | undefined,
  props: Pick<LiveCellsProps, "side" | "contracts" | "cost">,
): void {
  if (props.side === "flat") {
    setText(cells.mark, "—");
    setText(cells.value, "$0.00");
    setText(cells.pnl, "—");
    setText(cells.pct, "—");
    return;
  }
  const mark = yes == null ? null : props.side === "yes" ? yes : ONE_DOLLAR - yes;
  const value = mark === null ? null : notional(mark, props.contracts);
  const pnl = value === null ? null : value - props.cost;
  const bps = pnl === null || props.cost === 0 ? null : Math.round((pnl * 10_000) / props.cost);
  setText(cells.mark, formatPriceCentsExact(mark));
  setText(cells.value, formatUsd(value));
  setText(cells.pnl, formatUsd(pnl, { signed: true }));
  setText(cells.pct, formatBps(bps));
  setTone(cells.pnl, pnlTone(pnl));
  setTone(cells.pct, pnlTone(pnl));
}

export function LiveCells({ store, ticker, side, contracts, cost, cellClass }: LiveCellsProps) {
  const mark = useRef<HTMLSpanElement>(null);
  const value = useRef<HTMLSpanElement>(null);
  const pnl = useRef<HTMLSpanElement>(null);
  const pct = useRef<HTMLSpanElement>(null);
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
      <td className={cellClass} data-cell="mark">
        <span ref={mark} className={`${LIVE_BOX} w-[8ch]`} data-ch={8} />
      </td>
      <td className={cellClass} data-cell="value">
        <span ref={value} className={`${LIVE_BOX} w-[11ch]`} data-ch={11} />
      </td>
      <td className={cellClass} data-cell="unrealised">
        <span ref={pnl} className={`${LIVE_BOX} w-[11ch]`} data-ch={11} />
      </td>
      <td className={`${cellClass} hidden sm:table-cell`} data-cell="unrealised-pct">
        <span ref={pct} className={`${LIVE_BOX} w-[8ch]`} data-ch={8} />
      </td>
    </>
  );
}
