/**
 * The combo fields markets and RFQs carry (`mve_collection_ticker`,
 * `mve_selected_legs`). Kept apart from serialize-combo.ts so the market and
 * RFQ serializers can import it without an import cycle.
 */
import { formatDollars } from "@/lib/fixed-point";
import type { ComboLeg } from "@/server/sim/combos/combo-model";
import { comboOf, legResult } from "@/server/sim/combos/combo-store";
import type { SimState } from "@/server/sim/state";

/** `TickerPair` */
export function serializeTickerPair(leg: ComboLeg) {
  return { market_ticker: leg.marketTicker, event_ticker: leg.eventTicker, side: leg.side };
}

type SelectedLegWire = {
  market_ticker: string;
  event_ticker: string;
  side: string;
  yes_settlement_value_dollars?: string;
};

/** `MveSelectedLeg`, with the leg's settlement value once its market is determined. */
export function serializeSelectedLeg(state: SimState, leg: ComboLeg): SelectedLegWire {
  const market = state.market(leg.marketTicker);
  const decided = legResult(market, leg) !== null && market?.settlementValue != null;
  return {
    ...serializeTickerPair(leg),
    ...(decided && market?.settlementValue != null
      ? { yes_settlement_value_dollars: formatDollars(market.settlementValue) }
      : {}),
  };
}

/**
 * `mve_collection_ticker` and `mve_selected_legs` for a market or an RFQ on
 * `marketTicker`: present only for combo markets (x-omitempty).
 */
export function comboFields(
  state: SimState,
  marketTicker: string,
): { mve_collection_ticker?: string; mve_selected_legs?: SelectedLegWire[] } {
  const combo = comboOf(state, marketTicker);
  if (!combo) return {};
  return {
    mve_collection_ticker: combo.collectionTicker,
    mve_selected_legs: combo.legs.map((leg) => serializeSelectedLeg(state, leg)),
  };
}
