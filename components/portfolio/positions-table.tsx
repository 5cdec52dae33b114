"use client";
/**
 * Positions, one row per market (per subaccount in the all-accounts scope),
 * grouped by event with collapsible groups, sortable and filterable. The
 * table is window-virtualised and its moving cells paint themselves
 * (live-cells.tsx), so 500 positions ticking 50 times a second stay cheap. A
 * row opens the market's trading screen; "Flatten" closes the position.
 */
import { memo, useMemo, useRef, useState } from "react";

import { positionFigures, type PositionFigures } from "@/lib/portfolio/figures";
import {
  formatContracts,
  formatPriceCentsExact,
  formatUsd,
  pnlTone,
} from "@/lib/portfolio/format-money";
import { formatCloseTime } from "@/lib/format";

import { ScrollRows } from "./scroll-rows";

import { LiveCells } from "./live-cells";
import type { MarkStore } from "./mark-store";
import type { PositionRow } from "./use-portfolio";

export type SortKey =
  | "market"
  | "side"
  | "contracts"
  | "average"
  | "value"
  | "unrealised"
  | "realised"
  | "fees"
  | "orders"
  | "close";

export interface PositionsTableProps {
  rows: PositionRow[];
  store: MarkStore;
  /** Show the subaccount column (the all-accounts scope). */
  showSubaccount: boolean;
  onFlatten?: (row: PositionRow, figures: PositionFigures) => void;
  /** Opens a market's trading screen (the page passes the router's push). */
  onOpen: (href: string) => void;
  /** Row height in px (fixed: the table is virtualised). */
  rowHeight?: number;
  /** The streamed CSV of the scope's positions (GET /api/portfolio/export/positions). */
  exportHref?: string;
}

type DisplayItem =
  | { type: "group"; eventTicker: string; count: number; cost: number; collapsed: boolean }
  | { type: "row"; row: PositionRow; figures: PositionFigures };

const COLUMNS: Array<{ key: SortKey | null; label: string; className?: string }> = [
  { key: "market", label: "Market" },
  { key: "side", label: "Side" },
  { key: "contracts", label: "Contracts", className: "text-right" },
  { key: "average", label: "Avg cost", className: "text-right" },
  { key: null, label: "Mark", className: "text-right" },
  { key: "value", label: "Value", className: "text-right" },
  { key: "unrealised", label: "Unreal. P&L", className: "text-right" },
  { key: null, label: "%", className: "text-right hidden sm:table-cell" },
  { key: "realised", label: "Realised", className: "text-right hidden md:table-cell" },
  { key: "fees", label: "Fees", className: "text-right hidden md:table-cell" },
  { key: "orders", label: "Orders", className: "text-right hidden lg:table-cell" },
  { key: "close", label: "Closes", className: "hidden lg:table-cell" },
  { key: null, label: "" },
];

const num = "px-2 text-right font-mono tabular-nums whitespace-nowrap";

function sortValue(
  item: { row: PositionRow; figures: PositionFigures },
  key: SortKey,
  store: MarkStore,
) {
  const { row, figures } = item;
  switch (key) {
    case "market":
      return row.position.ticker;
    case "side":
      return figures.side;
    case "contracts":
      return figures.contracts;
    case "average":
      return figures.averageCost ?? -1;
    case "value":
    case "unrealised": {
      const yes = store.get(row.position.ticker)?.yes ?? null;
      const live = positionFigures(row.position, yes);
      return key === "value" ? (live.marketValue ?? -Infinity) : (live.unrealised ?? -Infinity);
    }
    case "realised":
      return figures.realised;
    case "fees":
      return figures.fees;
    case "orders":
      return row.restingOrders;
    case "close":
      return row.market?.close_time ?? "";
  }
}

export function PositionsTable({
  rows,
  store,
  showSubaccount,
  onOpen,
  onFlatten,
  rowHeight = 36,
  exportHref,
}: PositionsTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const [filter, setFilter] = useState("");
  const [side, setSide] = useState<"all" | "yes" | "no">("all");
  const [openOnly, setOpenOnly] = useState(true);
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: "value", dir: -1 });
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());

  const items = useMemo(() => {
    const needle = filter.trim().toLowerCase();
    const withFigures = rows
      .map((row) => ({ row, figures: positionFigures(row.position, null) }))
      .filter(({ row, figures }) => {
        if (openOnly && figures.side === "flat") return false;
        if (side !== "all" && figures.side !== side) return false;
        if (!needle) return true;
        return (
          row.position.ticker.toLowerCase().includes(needle) ||
          (row.market?.title.toLowerCase().includes(needle) ?? false) ||
          row.eventTicker.toLowerCase().includes(needle)
        );
      });
    const keyed = withFigures.map((item) => ({
      ...item,
      sortBy: sortValue(item, sort.key, store),
    }));
    const compare = (a: string | number, b: string | number) =>
      (a < b ? -1 : a > b ? 1 : 0) * sort.dir;
    keyed.sort((a, b) => compare(a.sortBy, b.sortBy) || a.row.key.localeCompare(b.row.key));
    // Groups in the order of their first (best-sorted) row.
    const groups = new Map<string, typeof keyed>();
    for (const item of keyed) {
      const list = groups.get(item.row.eventTicker) ?? [];
      list.push(item);
      groups.set(item.row.eventTicker, list);
    }
    const out: DisplayItem[] = [];
    for (const [eventTicker, list] of groups) {
      const isCollapsed = collapsed.has(eventTicker);
      out.push({
        type: "group",
        eventTicker,
        count: list.length,
        cost: list.reduce((sum, i) => sum + (i.figures.side === "flat" ? 0 : i.figures.cost), 0),
        collapsed: isCollapsed,
      });
      if (!isCollapsed)
        for (const { row, figures } of list) out.push({ type: "row", row, figures });
    }
    return out;
  }, [rows, filter, side, openOnly, sort, collapsed, store]);

  const toggleGroup = (eventTicker: string) =>
    setCollapsed((previous) => {
      const next = new Set(previous);
      if (next.has(eventTicker)) next.delete(eventTicker);
      else next.add(eventTicker);
      return next;
    });

  const colSpan = COLUMNS.length + (showSubaccount ? 1 : 0);
  const positionsShown = items.filter((i) => i.type === "row").length;

  return (
    <section aria-label="Positions" className="rounded-lg border border-line bg-panel">
      <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2 text-sm">
        <h2 className="mr-2 font-semibold">Positions</h2>
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="Filter by market or event"
          aria-label="Filter positions"
          className="order-last w-full min-w-0 rounded border border-line bg-surface px-2 py-1 text-sm sm:order-none sm:w-48"
        />
        <select
          value={side}
          onChange={(e) => setSide(e.target.value as typeof side)}
          aria-label="Side"
          className="rounded border border-line bg-surface px-2 py-1"
        >
          <option value="all">Both sides</option>
          <option value="yes">YES</option>
          <option value="no">NO</option>
        </select>
        <label className="flex items-center gap-1 text-ink-muted">
          <input
            type="checkbox"
            checked={openOnly}
            onChange={(e) => setOpenOnly(e.target.checked)}
          />
          Open only
        </label>
        <span className="ml-auto text-xs text-ink-muted">{positionsShown} shown</span>
        {exportHref ? (
          <a
            href={exportHref}
            download
            className="rounded border border-line px-2 py-1 text-ink-muted hover:text-ink"
          >
            Export CSV
          </a>
        ) : null}
      </div>
      <div ref={scrollRef} className="max-h-[min(70vh,40rem)] overflow-auto">
        <table className="w-full border-collapse text-sm">
          <caption className="sr-only">Positions by event</caption>
          <thead className="sticky top-0 z-10 border-b border-line bg-panel-raised text-left text-xs tracking-wide text-ink-muted uppercase">
            <tr>
              {showSubaccount ? (
                <th scope="col" className="px-2 py-2 font-medium">
                  Sub
                </th>
              ) : null}
              {COLUMNS.map((column) => (
                <th
                  key={column.label || "actions"}
                  scope="col"
                  className={`px-2 py-2 font-medium whitespace-nowrap ${column.className ?? ""}`}
                  aria-sort={
                    column.key && sort.key === column.key
                      ? sort.dir === 1
                        ? "ascending"
                        : "descending"
                      : undefined
                  }
                >
                  {column.key ? (
                    <button
                      type="button"
                      className="uppercase hover:text-ink"
                      onClick={() =>
                        setSort((s) =>
                          s.key === column.key
                            ? { key: s.key, dir: s.dir === 1 ? -1 : 1 }
                            : { key: column.key as SortKey, dir: column.key === "market" ? 1 : -1 },
                        )
                      }
                    >
                      {column.label}
                      {sort.key === column.key ? (sort.dir === 1 ? " ▲" : " ▼") : ""}
                    </button>
                  ) : (
                    column.label
                  )}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="divide-y divide-line/60">
            {items.length === 0 ? (
              <tr>
                <td colSpan={colSpan} className="px-3 py-8 text-center text-ink-muted">
                  {rows.length === 0
                    ? "No positions yet. Buy on a market and it shows here."
                    : "No position matches the filters."}
                </td>
              </tr>
            ) : (
              <ScrollRows
                count={items.length}
                rowHeight={rowHeight}
                scrollRef={scrollRef}
                colSpan={colSpan}
                renderRow={(index) => {
                  const item = items[index];
                  if (!item) return null;
                  if (item.type === "group") {
                    return (
                      <GroupRow
                        key={`g:${item.eventTicker}`}
                        item={item}
                        colSpan={colSpan}
                        onToggle={toggleGroup}
                        height={rowHeight}
                      />
                    );
                  }
                  return (
                    <PositionTableRow
                      key={item.row.key}
                      row={item.row}
                      figures={item.figures}
                      store={store}
                      showSubaccount={showSubaccount}
                      onFlatten={onFlatten}
                      onOpen={onOpen}
                      height={rowHeight}
                    />
                  );
                }}
              />
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function GroupRow({
  item,
  colSpan,
  onToggle,
  height,
}: {
  item: Extract<DisplayItem, { type: "group" }>;
  colSpan: number;
  onToggle: (eventTicker: string) => void;
  height: number;
}) {
  return (
    <tr className="bg-panel-raised/50" style={{ height }}>
      <td colSpan={colSpan} className="px-2">
        <button
          type="button"
          aria-expanded={!item.collapsed}
          onClick={() => onToggle(item.eventTicker)}
          className="flex w-full items-center gap-2 text-left text-xs"
        >
          <span aria-hidden className="w-3 text-ink-muted">
            {item.collapsed ? "▸" : "▾"}
          </span>
          <span className="font-mono text-ink">{item.eventTicker}</span>
          <span className="text-ink-muted">
            {item.count} {item.count === 1 ? "market" : "markets"} · cost {formatUsd(item.cost)}
          </span>
        </button>
      </td>
    </tr>
  );
}

const PositionTableRow = memo(function PositionTableRow({
  row,
  figures,
  store,
  showSubaccount,
  onFlatten,
  onOpen,
  height,
}: {
  row: PositionRow;
  figures: PositionFigures;
  store: MarkStore;
  showSubaccount: boolean;
  onFlatten?: (row: PositionRow, figures: PositionFigures) => void;
  onOpen: (href: string) => void;
  height: number;
}) {
  const href = `/markets/${encodeURIComponent(row.position.ticker)}`;
  return (
    <tr
      data-ticker={row.position.ticker}
      data-subaccount={row.subaccount}
      className="relative cursor-pointer hover:bg-panel-raised/70"
      style={{ height }}
      onClick={(event) => {
        if ((event.target as HTMLElement).closest("button,a")) return;
        onOpen(href);
      }}
    >
      {showSubaccount ? (
        <td className="px-2 font-mono text-xs text-ink-muted">
          {row.subaccount === 0 ? "P" : row.subaccount}
        </td>
      ) : null}
      <th scope="row" className="max-w-[14rem] px-2 text-left font-normal">
        <a
          href={href}
          onClick={(event) => {
            if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
            event.preventDefault();
            onOpen(href);
          }}
          className="block truncate font-mono text-xs text-accent"
          title={row.market?.title}
        >
          {row.position.ticker}
        </a>
      </th>
      <td className="px-2">
        {figures.side === "flat" ? (
          <span className="text-xs text-ink-faint">closed</span>
        ) : (
          <span
            className={`text-xs font-semibold ${figures.side === "yes" ? "text-yes" : "text-no"}`}
          >
            {figures.side.toUpperCase()}
          </span>
        )}
      </td>
      <td className={num}>{formatContracts(figures.contracts)}</td>
      <td className={num}>{formatPriceCentsExact(figures.averageCost)}</td>
      <LiveCells
        store={store}
        ticker={row.position.ticker}
        side={figures.side}
        contracts={figures.contracts}
        cost={figures.cost}
        cellClass={num}
      />
      <td className={`${num} hidden md:table-cell ${pnlTone(figures.realised)}`}>
        {formatUsd(figures.realised, { signed: true })}
      </td>
      <td className={`${num} hidden md:table-cell text-ink-muted`}>{formatUsd(figures.fees)}</td>
      <td className={`${num} hidden lg:table-cell`}>{row.restingOrders || "—"}</td>
      <td className="hidden px-2 text-xs whitespace-nowrap text-ink-muted lg:table-cell">
        {formatCloseTime(row.market?.close_time)}
      </td>
      <td className="px-2 text-right">
        {figures.side !== "flat" && onFlatten ? (
          <button
            type="button"
            onClick={() => onFlatten(row, figures)}
            className="rounded border border-line px-2 py-0.5 text-xs text-ink-muted hover:border-no hover:text-no"
            aria-label={`Flatten ${row.position.ticker}`}
          >
            Flatten
          </button>
        ) : null}
      </td>
    </tr>
  );
});
