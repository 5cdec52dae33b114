"use client";
/**
 * Window-virtualised table rows (TanStack Virtual): only the rows near the
 * viewport are mounted, with spacer rows standing in for the rest, so a list
 * of thousands of markets keeps a small DOM and only the visible rows hold
 * live subscriptions.
 *
 * Loaded as its own chunk by LazyVirtualRows (lazy-virtual-rows.tsx): the
 * first screen of rows renders without it.
 */
import { useWindowVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useLayoutEffect, useState, type ReactNode, type RefObject } from "react";

import { SpacerRow } from "@/components/ui/spacer-row";

export interface VirtualRowsProps {
  count: number;
  /** Fixed row height, px. */
  rowHeight: number;
  /** The table the rows live in; its offset from the top of the page is the scroll margin. */
  tableRef: RefObject<HTMLTableElement | null>;
  colSpan: number;
  renderRow: (index: number) => ReactNode;
  /** Called when the last mounted row is within `nearEnd` rows of the end. */
  onNearEnd?: () => void;
  nearEnd?: number;
}

export function VirtualRows({
  count,
  rowHeight,
  tableRef,
  colSpan,
  renderRow,
  onNearEnd,
  nearEnd = 15,
}: VirtualRowsProps) {
  const [scrollMargin, setScrollMargin] = useState(0);
  useLayoutEffect(() => {
    setScrollMargin(tableRef.current?.offsetTop ?? 0);
  }, [tableRef]);
  const virtualizer = useWindowVirtualizer({
    count,
    estimateSize: () => rowHeight,
    overscan: 8,
    scrollMargin,
    // Mounted only in the browser: start from the real viewport, not an empty one.
    initialRect: { width: window.innerWidth, height: window.innerHeight },
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items[items.length - 1]?.index ?? 0;
  useEffect(() => {
    if (count > 0 && lastIndex >= count - nearEnd) onNearEnd?.();
  }, [lastIndex, count, nearEnd, onNearEnd]);

  const top = (items[0]?.start ?? scrollMargin) - scrollMargin;
  const bottom =
    virtualizer.getTotalSize() - ((items[items.length - 1]?.end ?? scrollMargin) - scrollMargin);
  return (
    <>
      <SpacerRow height={top} colSpan={colSpan} />
      {items.map((item) => renderRow(item.index))}
      <SpacerRow height={bottom} colSpan={colSpan} />
    </>
  );
}
