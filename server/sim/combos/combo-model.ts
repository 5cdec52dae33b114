/**
 * Multivariate event collections (api-reference/multivariate/*): a
 * collection names the events whose markets may be combined; a combo is one
 * market created in it for a chosen set of legs (a market's yes or no side),
 * priced and traded as one contract that pays $1 when every leg comes true.
 */
import type { OutcomeSide } from "@/server/sim/model";

/** One event a collection accepts legs from (`AssociatedEvent`). */
export interface AssociatedEventRecord {
  ticker: string;
  /** Only the yes side of this event's markets may be a leg. */
  isYesOnly: boolean;
  /** Most legs from this event (null: no limit). */
  sizeMax: number | null;
  /** Fewest legs from this event (null: no limit). */
  sizeMin: number | null;
}

export interface CollectionRecord {
  collectionTicker: string;
  /** Series the combo events and markets are listed under. */
  seriesTicker: string;
  title: string;
  description: string;
  openDate: number;
  closeDate: number;
  associatedEvents: AssociatedEventRecord[];
  /** Leg order matters (never in the simulator's collections: legs are a set). */
  isOrdered: boolean;
  sizeMin: number;
  sizeMax: number;
  functionalDescription: string;
}

/** One selected market side (`TickerPair` in requests, `MveSelectedLeg` on markets and RFQs). */
export interface ComboLeg {
  marketTicker: string;
  eventTicker: string;
  side: OutcomeSide;
}

export interface ComboRecord {
  collectionTicker: string;
  eventTicker: string;
  marketTicker: string;
  /** Canonical order (by market ticker): the identity of the combo. */
  legs: ComboLeg[];
  createdTime: number;
  /** Last create or lookup naming these legs (lookup history). */
  lastQueried: number;
}
