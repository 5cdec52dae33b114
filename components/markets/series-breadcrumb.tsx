import Link from "next/link";
import type { ReactNode } from "react";

/**
 * The breadcrumb of a market or event page: Markets / the series (linking to
 * the browser filtered to it), then any further crumbs given as `children`.
 */
export function SeriesBreadcrumb({
  seriesTicker,
  seriesTitle,
  children,
}: {
  seriesTicker: string;
  /** The series' title once loaded; the ticker stands in until then. */
  seriesTitle: string | undefined;
  children?: ReactNode;
}) {
  return (
    <nav aria-label="Breadcrumb" className="mb-1 flex flex-wrap gap-1 text-xs text-ink-muted">
      <Link href="/markets" className="hover:text-ink">
        Markets
      </Link>
      <span>/</span>
      <Link href={`/markets?series=${encodeURIComponent(seriesTicker)}`} className="hover:text-ink">
        {seriesTitle ?? seriesTicker}
      </Link>
      {children}
    </nav>
  );
}
