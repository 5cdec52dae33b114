/**
 * What a caller asks the matching engine for when placing an order. Its own
 * module so execution.ts (record building) and matching-engine.ts (matching)
 * both use it without importing each other; matching-engine.ts re-exports it.
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type { BookSide, SelfTradePrevention, TimeInForce } from "@/server/sim/model";

export interface PlaceOrderInput {
  userId: string;
  subaccount?: number;
  ticker: string;
  side: BookSide;
  /** YES price. */
  price: Micros;
  count: Centis;
  timeInForce: TimeInForce;
  /** Epoch ms; only with good_till_canceled. */
  expirationTime?: number | null;
  postOnly?: boolean;
  reduceOnly?: boolean;
  selfTradePrevention?: SelfTradePrevention;
  cancelOnPause?: boolean;
  clientOrderId?: string;
  orderGroupId?: string | null;
}
