/**
 * Sizes a quote for an RFQ: a contracts RFQ trades its count on either side;
 * a target-cost RFQ trades as many contracts as the requester's dollar amount
 * buys at the side's price (rfqs.md "Sizing"), in 0.01-contract steps.
 *
 * The requester takes the outcome opposite the accepted bid, so pays
 * $1 − bid per contract, as the taker. By default the target caps principal
 * plus that taker fee (rounded up to the cent, as the balance is charged);
 * with `target_cost_excludes_fees` it caps principal only (SDK CreateRFQRequest).
 */
import {
  ceilTo,
  complement,
  notional,
  ONE_CENT,
  type Centis,
  type Micros,
} from "@/lib/fixed-point";
import { tradeFee } from "@/lib/fees";
import type { SeriesRecord } from "@/server/sim/model";
import type { RfqRecord } from "@/server/sim/rfq/rfq-model";

/** The requester's taker fee for `count` at a trade whose YES (or NO) price is `price`, ceiled to the cent. */
export function requesterFee(
  series: SeriesRecord | undefined,
  price: Micros,
  count: Centis,
): Micros {
  const fee = tradeFee({
    price,
    count,
    feeType: series?.feeType ?? "quadratic",
    feeMultiplier: series?.feeMultiplier ?? 1,
    role: "taker",
  });
  return ceilTo(fee, ONE_CENT);
}

/** Contracts the quote trades if the side with maker bid `bid` is accepted (0 when the side is declined). */
export function contractsForBid(
  rfq: RfqRecord,
  series: SeriesRecord | undefined,
  bid: Micros,
): Centis {
  if (bid === 0) return 0;
  if (rfq.contracts !== null) return rfq.contracts;
  const target = rfq.targetCost ?? 0;
  const leg = complement(bid);
  // Principal alone: target / leg, floored to 0.01 contracts.
  const byPrincipal = Math.floor((target * 100) / leg);
  if (rfq.targetCostExcludesFees) return byPrincipal;
  // Fees grow with the count, so the largest affordable count is found by bisection.
  let low = 0;
  let high = byPrincipal;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (notional(leg, mid) + requesterFee(series, bid, mid) <= target) low = mid;
    else high = mid - 1;
  }
  return low;
}
