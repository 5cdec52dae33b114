"use client";
/**
 * The combo slip on /rfq: its legs with their book prices, the naive price
 * of the combo if the legs were independent, and one button that creates
 * (or finds) the combo market in its collection and sends an RFQ for it.
 */
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useEffect, useState } from "react";

import { SizeFields, sizeBody, type SizeMode } from "@/components/rfq/rfq-form";
import { cents, Panel, primaryButtonClass, useBookQuote } from "@/components/rfq/rfq-ui";
import { useActiveSubaccount } from "@/components/subaccounts/use-active-subaccount";
import { fetchApi } from "@/lib/queries/fetch-api";
import { collectionOptions, rfqKeys } from "@/lib/queries/rfq";
import { clearSlip, removeLeg, useComboSlip, type SlipLeg } from "@/lib/rfq/combo-slip";
import { naiveComboPrice } from "@/lib/rfq/rfq-math";
import type { ComboMarket } from "@/lib/schemas/collection";
import type { Micros } from "@/lib/fixed-point";

export function ComboSlipPanel({ onCreated }: { onCreated: (rfqId: string) => void }) {
  const slip = useComboSlip();
  const collection = useQuery({
    ...collectionOptions(slip.collection_ticker ?? ""),
    enabled: slip.collection_ticker !== null,
  });
  const [mids, setMids] = useState<Record<string, Micros | undefined>>({});
  const [mode, setMode] = useState<SizeMode>("contracts");
  const [size, setSize] = useState("10");
  const queryClient = useQueryClient();
  const { ticketSubaccount } = useActiveSubaccount();

  const send = useMutation({
    mutationFn: async () => {
      const ticker = slip.collection_ticker;
      if (!ticker) throw new Error("The slip is empty: add legs from an event page.");
      const combo = await fetchApi<ComboMarket>(`/api/collections/${encodeURIComponent(ticker)}`, {
        json: {
          selected_markets: slip.legs.map(({ market_ticker, event_ticker, side }) => ({
            market_ticker,
            event_ticker,
            side,
          })),
        },
      });
      const { id } = await fetchApi<{ id: string }>("/api/rfqs", {
        json: {
          market_ticker: combo.market_ticker,
          ...sizeBody(mode, size),
          rest_remainder: false,
          // The header switcher's subaccount (the primary when "All accounts").
          subaccount: ticketSubaccount || undefined,
          replace_existing: true,
        },
      });
      return id;
    },
    onSuccess: (id) => {
      void queryClient.invalidateQueries({ queryKey: rfqKeys.all });
      clearSlip();
      onCreated(id);
    },
  });

  const legs = slip.legs;
  const naive = naiveComboPrice(
    legs.map((leg) => ({ side: leg.side, mid: mids[leg.market_ticker] })),
  );
  const sizeMin = collection.data?.size_min ?? 2;
  const sizeMax = collection.data?.size_max ?? 2;
  const tooFew = legs.length < sizeMin;
  const tooMany = collection.data !== undefined && legs.length > sizeMax;

  return (
    <Panel
      title="Combo slip"
      id="combo-slip-heading"
      actions={
        legs.length > 0 ? (
          <button
            type="button"
            className="text-xs text-ink-muted hover:text-ink"
            onClick={clearSlip}
          >
            Clear
          </button>
        ) : null
      }
    >
      {legs.length === 0 ? (
        <p className="text-sm text-ink-muted">
          No legs yet. Open an event in a collection (for example a{" "}
          <Link href="/markets?category=Sports" className="text-accent hover:underline">
            football game
          </Link>
          ) and add a market&apos;s Yes or No to build a combo.
        </p>
      ) : (
        <div className="flex flex-col gap-3 text-sm">
          <p className="text-xs text-ink-muted">
            {collection.data?.title ?? slip.collection_ticker} · {sizeMin}–{sizeMax} legs
          </p>
          <ul aria-label="Combo legs" className="flex flex-col divide-y divide-line/60">
            {legs.map((leg) => (
              <LegRow
                key={leg.market_ticker}
                leg={leg}
                onMid={(mid) =>
                  setMids((all) =>
                    all[leg.market_ticker] === mid ? all : { ...all, [leg.market_ticker]: mid },
                  )
                }
              />
            ))}
          </ul>
          <p className="flex items-baseline justify-between text-xs">
            <span className="text-ink-muted">Naive price (independent legs)</span>
            <span className="font-mono text-base text-ink" data-testid="naive-price">
              {cents(naive)}
            </span>
          </p>
          <SizeFields
            mode={mode}
            onMode={setMode}
            value={size}
            onValue={setSize}
            idPrefix="combo"
          />
          <button
            type="button"
            className={primaryButtonClass}
            disabled={tooFew || tooMany || send.isPending}
            onClick={() => send.mutate()}
          >
            {send.isPending ? "Creating combo…" : "Create combo & request quotes"}
          </button>
          {tooFew ? <p className="text-xs text-ink-muted">Add at least {sizeMin} legs.</p> : null}
          {tooMany ? (
            <p className="text-xs text-warn">
              This collection takes at most {sizeMax} legs: remove {legs.length - sizeMax}.
            </p>
          ) : null}
          {send.error ? (
            <p role="alert" className="text-xs text-no">
              {send.error.message}
            </p>
          ) : null}
        </div>
      )}
    </Panel>
  );
}

function LegRow({ leg, onMid }: { leg: SlipLeg; onMid: (mid: Micros | undefined) => void }) {
  const book = useBookQuote(leg.market_ticker);
  // Report the mid up for the naive price (after render, only when it changed).
  useMidReport(book.mid, onMid);
  return (
    <li className="flex items-center gap-2 py-1.5">
      <span
        className={`w-9 shrink-0 rounded px-1 text-center text-xs font-semibold ${leg.side === "yes" ? "bg-yes/15 text-yes" : "bg-no/15 text-no"}`}
      >
        {leg.side.toUpperCase()}
      </span>
      <span className="min-w-0 flex-1">
        <span className="block truncate">{leg.label}</span>
        <span className="block truncate font-mono text-[11px] text-ink-faint">
          {leg.market_ticker}
        </span>
      </span>
      <span className="shrink-0 text-right font-mono text-xs tabular-nums">
        <span className="text-yes">{cents(book.yesBid)}</span>
        <span className="text-ink-faint"> / </span>
        <span className="text-no">{cents(book.yesAsk)}</span>
      </span>
      <button
        type="button"
        aria-label={`Remove ${leg.label}`}
        className="shrink-0 px-1 text-ink-faint hover:text-no"
        onClick={() => removeLeg(leg.market_ticker)}
      >
        ×
      </button>
    </li>
  );
}

function useMidReport(mid: Micros | undefined, onMid: (mid: Micros | undefined) => void) {
  useEffect(() => onMid(mid), [mid]); // eslint-disable-line react-hooks/exhaustive-deps
}
