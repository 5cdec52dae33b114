"use client";
/**
 * Table rows virtualised inside their own scroll container (TanStack
 * Virtual's element virtualizer): the portfolio stacks several long tables on
 * one page, so each scrolls in its own box instead of the window, and a table
 * above never shifts the measurements of one below.
 */
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, type ReactNode, type RefObject } from "react";

import { SpacerRow } from "@/components/ui/spacer-row";

export function ScrollRows({
  count,
  rowHeight,
  scrollRef,
  colSpan,
  renderRow,
  onNearEnd,
  nearEnd = 15,
}: {
  count: number;
  rowHeight: number;
  /** The scrolling box around the table (its thead offset included in `headerHeight`). */
  scrollRef: RefObject<HTMLElement | null>;
  colSpan: number;
  renderRow: (index: number) => ReactNode;
  onNearEnd?: () => void;
  nearEnd?: number;
}) {
  const virtualizer = useVirtualizer({
    count,
    estimateSize: () => rowHeight,
    overscan: 8,
    getScrollElement: () => scrollRef.current,
    // Before the box is measured (first client render), assume a screenful.
    initialRect: { width: 1200, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (count > 0 && lastIndex >= count - nearEnd) onNearEnd?.();
  }, [lastIndex, count, nearEnd, onNearEnd]);
  const top = items[0]?.start ?? 0;
  const bottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);
  return (
    <>
      <SpacerRow height={top} colSpan={colSpan} />
      {items.map((item) => renderRow(item.index))}
      <SpacerRow height={bottom} colSpan={colSpan} />
    </>
  );
}
