"use client";
/**
 * Table rows that start as a plain first screen and become window-virtualised
 * (virtual-rows.tsx) once that chunk has loaded.
 *
 * The virtualiser is ~10 kB gzip and only matters once the reader scrolls
 * past the first screen, so it is fetched right after hydration instead of
 * being part of the page's first load (bench/first-load.bench.ts). Until it
 * arrives, which on a normal connection is before anyone can scroll, the
 * first `firstScreen` rows render as they do on the server and a spacer keeps
 * the page as tall as the whole list.
 */
import { SpacerRow } from "@/components/ui/spacer-row";
import { Deferred } from "@/components/ui/deferred";
import type { VirtualRowsProps } from "@/components/ui/virtual-rows";

/** Rows rendered before the virtualiser loads: a tall screen's worth plus overscan. */
const FIRST_SCREEN_ROWS = 28;

const loadVirtualRows = () =>
  import("@/components/ui/virtual-rows").then((module) => module.VirtualRows);

export function LazyVirtualRows(props: VirtualRowsProps & { firstScreen?: number }) {
  const { firstScreen = FIRST_SCREEN_ROWS, ...rest } = props;
  const shown = Math.min(rest.count, firstScreen);
  return (
    <Deferred
      load={loadVirtualRows}
      what="virtualised rows"
      props={rest}
      fallback={
        <>
          {Array.from({ length: shown }, (_, index) => rest.renderRow(index))}
          <SpacerRow height={(rest.count - shown) * rest.rowHeight} colSpan={rest.colSpan} />
        </>
      }
    />
  );
}
