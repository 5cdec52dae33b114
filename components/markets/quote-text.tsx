"use client";

import { FlashValue } from "@/components/ui/flash-value";
import { EMPTY_VALUE, formatChangeCents, formatPriceCents, safeMicros } from "@/lib/format";
import { ONE_DOLLAR } from "@/lib/fixed-point";

/**
 * Kalshi reports an empty side as a bid of $0 or an ask of $1 (and a market
 * that never traded as a last price of $0); showing "0¢" would read as a real quote.
 */
export function quoteText(dollars: string, emptyAt: number): string {
  const micros = safeMicros(dollars);
  if (micros === undefined || micros === emptyAt) return EMPTY_VALUE;
  return formatPriceCents(dollars);
}

/** A live price that flashes on change; empty sides render as a faint dash. */
export function QuotePrice({
  dollars,
  kind,
  tone,
}: {
  dollars: string;
  kind: "bid" | "ask" | "last";
  tone: string;
}) {
  const text = quoteText(dollars, kind === "ask" ? ONE_DOLLAR : 0);
  return (
    <FlashValue
      text={text}
      rank={safeMicros(dollars)}
      className={text === EMPTY_VALUE ? "text-ink-faint" : tone}
    />
  );
}

/** A change since the previous day's price, coloured by direction. */
export function QuoteChange({ micros }: { micros: number | undefined }) {
  const tone =
    micros === undefined || micros === 0 ? "text-ink-faint" : micros > 0 ? "text-yes" : "text-no";
  return <FlashValue text={formatChangeCents(micros)} rank={micros} className={tone} />;
}
