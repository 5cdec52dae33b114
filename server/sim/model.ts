/**
 * The simulated exchange's internal records. Money and prices are integer
 * micro-dollars, counts integer centi-contracts (see lib/fixed-point.ts);
 * times are epoch milliseconds. Wire shapes (Kalshi's JSON) are produced from
 * these by the serializers in `server/sim/http/serialize.ts` and the WebSocket
 * channel code, never stored.
 *
 * Prices are always YES prices. An order is a bid (buy YES at p) or an ask
 * (sell YES at p, which is the same as buying NO at $1 − p); a book holds both
 * and a bid at p crosses an ask at ≤ p.
 */
import type { Centis, Micros } from "@/lib/fixed-point";
import type { FeeType } from "@/lib/fees";
import type { PriceRange } from "@/lib/price-grid";

export type BookSide = "bid" | "ask";
export type OutcomeSide = "yes" | "no";
export type TimeInForce = "good_till_canceled" | "immediate_or_cancel" | "fill_or_kill";
export type SelfTradePrevention = "taker_at_cross" | "maker";
export type OrderStatus = "resting" | "canceled" | "executed";
export type MarketStatus =
  | "initialized"
  | "inactive"
  | "active"
  | "closed"
  | "determined"
  | "disputed"
  | "amended"
  | "finalized";
export type MarketResult = "" | "yes" | "no" | "scalar";
export type StrikeType =
  | "greater"
  | "greater_or_equal"
  | "less"
  | "less_or_equal"
  | "between"
  | "functional"
  | "custom"
  | "structured";

/** `bid` buys YES (long yes); `ask` sells YES (long no). */
export function outcomeOf(side: BookSide): OutcomeSide {
  return side === "bid" ? "yes" : "no";
}

export interface SeriesRecord {
  ticker: string;
  title: string;
  category: string;
  tags: string[];
  frequency: string;
  feeType: FeeType;
  /** Series fee multiplier as Kalshi publishes it (a plain number such as 1 or 0.5). */
  feeMultiplier: number;
  settlementSources: { name: string; url: string }[];
  contractUrl: string;
  contractTermsUrl: string;
  additionalProhibitions: string[];
  productMetadata?: Record<string, unknown>;
}

export interface EventRecord {
  eventTicker: string;
  seriesTicker: string;
  title: string;
  subTitle: string;
  category: string;
  mutuallyExclusive: boolean;
  collateralReturnType: "MECNET" | "DIRECNET" | "";
  strikeDate: number | null;
  strikePeriod: string;
  availableOnBrokers: boolean;
  /** Markets of this event, in display order. */
  marketTickers: string[];
  imageUrl: string;
  competition: string | null;
  lastUpdatedTs: number;
}

export interface MarketRecord {
  ticker: string;
  eventTicker: string;
  seriesTicker: string;
  marketId: string;
  marketType: "binary" | "scalar";
  title: string;
  subtitle: string;
  yesSubTitle: string;
  noSubTitle: string;
  rulesPrimary: string;
  rulesSecondary: string;
  createdTime: number;
  updatedTime: number;
  openTime: number;
  closeTime: number;
  expectedExpirationTime: number;
  latestExpirationTime: number;
  settlementTimerSeconds: number;
  status: MarketStatus;
  result: MarketResult;
  /** Payout per YES contract once determined ($1 for yes, $0 for no, between for scalar). */
  settlementValue: Micros | null;
  determinationTime: number | null;
  settlementTime: number | null;
  /** The observed value the market resolved on ("87" °F, "0.3" %...); `expiration_value`, "" until known. */
  expirationValue?: string;
  canCloseEarly: boolean;
  strikeType: StrikeType;
  floorStrike: number | null;
  capStrike: number | null;
  priceLevelStructure: string;
  priceRanges: readonly PriceRange[];
  /** Latent "true" probability the bots quote around (never on the wire). */
  fairValue: Micros;
  lastPrice: Micros | null;
  /** Yesterday's close values for `previous_*` fields (reset daily by the clock). */
  previousPrice: Micros | null;
  previousYesBid: Micros | null;
  previousYesAsk: Micros | null;
  volume: Centis;
  /** Dollar value traded, for `dollar_volume` on ticker messages. */
  dollarVolume: Micros;
  openInterest: Centis;
  /** Notional value of one contract ($1 for every binary market). */
  notionalValue: Micros;
  exchangeIndex: number;
}

export interface OrderRecord {
  orderId: string;
  userId: string;
  subaccount: number;
  ticker: string;
  clientOrderId: string;
  side: BookSide;
  /** YES price. */
  price: Micros;
  initialCount: Centis;
  remainingCount: Centis;
  fillCount: Centis;
  status: OrderStatus;
  timeInForce: TimeInForce;
  expirationTime: number | null;
  postOnly: boolean;
  reduceOnly: boolean;
  selfTradePrevention: SelfTradePrevention;
  cancelOnPause: boolean;
  orderGroupId: string | null;
  takerFillCost: Micros;
  makerFillCost: Micros;
  takerFees: Micros;
  makerFees: Micros;
  /** Kalshi's per-order fee-rounding accumulator (fee_rounding.md). */
  feeAccumulator: Micros;
  /** Cash held back for the unfilled part (leg price × uncovered count + fee headroom). */
  reserved: Micros;
  /** How many of the remaining contracts close an existing opposite position (need no cash). */
  coveredRemaining: Centis;
  createdTime: number;
  lastUpdateTime: number;
  /** Global arrival sequence: time priority within a price level. */
  sequence: number;
}

export interface FillRecord {
  fillId: string;
  tradeId: string;
  orderId: string;
  userId: string;
  subaccount: number;
  ticker: string;
  side: BookSide;
  /** YES price. */
  price: Micros;
  count: Centis;
  isTaker: boolean;
  /** Net fee charged on this fill (trade fee + rounding − rebate). */
  fee: Micros;
  clientOrderId: string;
  /** Signed net position after the fill. */
  postPosition: Centis;
  createdTime: number;
}

export interface TradeRecord {
  tradeId: string;
  ticker: string;
  price: Micros;
  count: Centis;
  takerSide: BookSide;
  isBlockTrade: boolean;
  createdTime: number;
  /**
   * Position in the exchange's trade sequence (0 = first trade ever), set by
   * `SimState.recordTrade`: a stable page cursor across the live list and
   * the history tier. Never on the wire.
   */
  seq: number;
}

export interface PositionRecord {
  userId: string;
  subaccount: number;
  ticker: string;
  /** Signed: positive = long YES, negative = long NO. */
  position: Centis;
  /** What the open position cost (market_exposure). */
  cost: Micros;
  realizedPnl: Micros;
  feesPaid: Micros;
  /** Dollar value ever traded in this market (total_traded). */
  totalTraded: Micros;
  /** Contracts ever traded (volume_fp on market_position). */
  volume: Centis;
  lastUpdated: number;
}

export interface SettlementRecord {
  userId: string;
  subaccount: number;
  ticker: string;
  eventTicker: string;
  result: MarketResult;
  yesCount: Centis;
  yesTotalCost: Micros;
  noCount: Centis;
  noTotalCost: Micros;
  /** Payout credited, micro-dollars. */
  revenue: Micros;
  feeCost: Micros;
  settledTime: number;
  value: Micros | null;
}

export interface ApiKeyRecord {
  apiKeyId: string;
  userId: string;
  name: string;
  /** SPKI PEM of the key the user signs with. */
  publicKeyPem: string;
  scopes: string[];
  /** A key restricted to one subaccount, or null for the whole account. */
  subaccount: number | null;
  createdTime: number;
}

export interface UserRecord {
  userId: string;
  /** Free cash per subaccount (0 = primary), micro-dollars. */
  balances: Map<number, Micros>;
  /** Highest subaccount number created so far (0 when only the primary exists). */
  subaccountCount: number;
  /** Balance precision this user's fills are rounded to (cent for non-direct members). */
  balancePrecision: Micros;
  /** API usage tier name (rate limits; issue: simulator part 2). */
  tier: string;
  createdTime: number;
  /** Bots are marked so they can be excluded from user-facing sims. */
  isBot: boolean;
}
