/**
 * A bot maker for the RFQ desk, so one person can run the whole RFQ flow
 * against the simulator: it quotes every new RFQ (after a delay) around the
 * market's latent fair value, confirms quotes the requester accepts, and now
 * and then (seeded, configurable) lets the confirmation window lapse, so the
 * requester sees that path too.
 *
 * It acts through the desk like any client and advances only when `step()`
 * is called: a timer does that in a running simulator, tests call it with a
 * ManualClock. Nothing it does may throw out of `step()`.
 */
import { ONE_CENT, ONE_DOLLAR, type Micros } from "@/lib/fixed-point";
import { snapToGrid, type PriceRange } from "@/lib/price-grid";
import { createAccount } from "@/server/sim/accounts";
import { comboOf, comboStore } from "@/server/sim/combos/combo-store";
import { SimError } from "@/server/sim/errors";
import type { SimExchange } from "@/server/sim/exchange";
import type { UserRecord } from "@/server/sim/model";
import { SeededRandom } from "@/server/sim/random";
import type { Viewer } from "@/server/sim/rfq/serialize-rfq";

export interface RfqMakerBotOptions {
  /** Wait after an RFQ appears before quoting it, ms. Default 1500 (a human can watch it arrive). */
  quoteDelayMs?: number;
  /** Wait after an acceptance before confirming, ms. Default 500 (inside even the 3 s HVM window). */
  confirmDelayMs?: number;
  /** Chance the bot lets an accepted quote's confirmation window lapse. Default 0.1. */
  lapseProbability?: number;
  /** Distance of each bid below fair value, micro-dollars. Default $0.02. */
  halfSpread?: Micros;
  /**
   * Distance of each bid below fair value on a combo market, micro-dollars.
   * Default $0.05: a combo's legs are priced as independent, which they may
   * not be, so the bot asks more room than on a single market.
   */
  comboHalfSpread?: Micros;
  /** Quote with this account (must exist). Default: a new bot account. */
  userId?: string;
  /** How often the timer steps the bot, ms. Default 250. */
  intervalMs?: number;
}

export interface RfqMakerBotStatus {
  user_id: string;
  quotes: number;
  confirms: number;
  lapses: number;
  rejections: Record<string, number>;
}

/** $10M: far more than any RFQ it will be asked to fill. */
const BOT_BALANCE_CENTS = 1_000_000_000;

export class RfqMakerBot {
  readonly options: Required<Omit<RfqMakerBotOptions, "userId">>;
  readonly user: UserRecord;
  private readonly random: SeededRandom;
  private readonly quoted = new Set<string>();
  /** quote id → what the bot decided when it saw the acceptance. */
  private readonly decisions = new Map<string, "confirm" | "lapse">();
  private readonly counts = { quotes: 0, confirms: 0, lapses: 0 };
  private readonly rejections: Record<string, number> = {};

  constructor(
    private readonly exchange: SimExchange,
    options: RfqMakerBotOptions = {},
  ) {
    this.options = {
      quoteDelayMs: options.quoteDelayMs ?? 1_500,
      confirmDelayMs: options.confirmDelayMs ?? 500,
      lapseProbability: options.lapseProbability ?? 0.1,
      halfSpread: options.halfSpread ?? 2 * ONE_CENT,
      comboHalfSpread: options.comboHalfSpread ?? 5 * ONE_CENT,
      intervalMs: options.intervalMs ?? 250,
    };
    const { state } = exchange;
    const existing = options.userId === undefined ? undefined : state.users.get(options.userId);
    if (options.userId !== undefined && !existing)
      throw new Error(`RFQ maker bot: no user ${options.userId}`);
    this.user =
      existing ??
      createAccount(state, { balanceCents: BOT_BALANCE_CENTS, isBot: true, directMember: true });
    // Its own stream, so adding this bot does not shift the other bots' draws.
    this.random = new SeededRandom(state.seed ^ 0x52f0);
  }

  /** One pass: quote RFQs whose delay is up, confirm (or ignore) accepted quotes. */
  step(): void {
    const desk = this.exchange.rfqDesk;
    const now = this.exchange.state.now();
    const viewer: Viewer = { userId: this.user.userId, lockedSubaccount: null };
    for (const rfq of desk.rfqs.values()) {
      if (rfq.status !== "open" || rfq.userId === this.user.userId || this.quoted.has(rfq.id))
        continue;
      if (now < rfq.createdTime + this.options.quoteDelayMs) continue;
      this.quoted.add(rfq.id);
      const market = this.exchange.state.market(rfq.marketTicker);
      if (!market) continue;
      // A combo is priced from its legs' fair values now, with a wider spread.
      const combo = comboOf(this.exchange.state, market.ticker);
      const fair = combo
        ? (comboStore(this.exchange.state).fairValue(market.ticker) ?? market.fairValue)
        : market.fairValue;
      const half = combo ? this.options.comboHalfSpread : this.options.halfSpread;
      const yesBid = this.bidBelow(fair, half, market.priceRanges);
      const noBid = this.bidBelow(ONE_DOLLAR - fair, half, market.priceRanges);
      if (yesBid === 0 && noBid === 0) continue;
      this.attempt(() => {
        desk.createQuote(viewer, {
          rfqId: rfq.id,
          yesBid,
          noBid,
          restRemainder: false,
          postOnly: false,
          subaccount: 0,
        });
        this.counts.quotes += 1;
      });
    }
    for (const quote of desk.quotes.values()) {
      if (
        quote.userId !== this.user.userId ||
        quote.status !== "accepted" ||
        quote.acceptedTime === null
      )
        continue;
      let decision = this.decisions.get(quote.id);
      if (!decision) {
        decision = this.random.chance(this.options.lapseProbability) ? "lapse" : "confirm";
        this.decisions.set(quote.id, decision);
        if (decision === "lapse") this.counts.lapses += 1;
      }
      if (decision === "confirm" && now >= quote.acceptedTime + this.options.confirmDelayMs) {
        this.attempt(() => {
          desk.confirmQuote(viewer, quote.id, quote.rfqId);
          this.counts.confirms += 1;
        });
      }
    }
  }

  status(): RfqMakerBotStatus {
    return { user_id: this.user.userId, ...this.counts, rejections: { ...this.rejections } };
  }

  /** The best grid price at least half a spread below `fair`, or 0 (side declined) when there is none. */
  private bidBelow(fair: Micros, half: Micros, ranges: readonly PriceRange[]): Micros {
    const target = fair - half;
    if (target <= 0) return 0;
    return snapToGrid(target, ranges, "down") ?? 0;
  }

  private attempt(action: () => void): void {
    try {
      action();
    } catch (error) {
      if (!(error instanceof SimError)) {
        console.error(
          JSON.stringify({ at: "sim.rfq-maker-bot", what: "step failed", error: String(error) }),
        );
        return;
      }
      this.rejections[error.code] = (this.rejections[error.code] ?? 0) + 1;
    }
  }
}

/** Runs the bot on a timer; `stop()` ends it. */
export function startRfqMakerBot(
  exchange: SimExchange,
  options: RfqMakerBotOptions = {},
): { bot: RfqMakerBot; stop(): void } {
  const bot = new RfqMakerBot(exchange, options);
  const timer = setInterval(() => bot.step(), Math.max(10, bot.options.intervalMs));
  // The timer must not keep the process alive on its own.
  timer.unref();
  return {
    bot,
    stop() {
      clearInterval(timer);
    },
  };
}
