/** The RFQ maker bot on a ManualClock: quote delay and prices, confirmation, seeded lapses. */
import { describe, expect, it } from "vitest";
import { RfqMakerBot } from "@/server/sim/rfq/rfq-maker-bot";
import { addMarket, addUser, makeEngineExchange, usd } from "@/server/sim/testing/engine-fixtures";

function setup(options: ConstructorParameters<typeof RfqMakerBot>[1] = {}) {
  const fixture = makeEngineExchange();
  const market = addMarket(fixture.state, { fairValue: usd("0.63") });
  const requester = addUser(fixture.state, 100_000);
  const viewer = { userId: requester.userId, lockedSubaccount: null };
  const bot = new RfqMakerBot(fixture.exchange, options);
  const rfq = fixture.exchange.rfqDesk.createRfq(viewer, {
    marketTicker: market.ticker,
    contracts: 500,
    targetCost: null,
    targetCostExcludesFees: false,
    restRemainder: false,
    replaceExisting: false,
    subaccount: undefined,
  });
  return { ...fixture, market, bot, rfq, viewer };
}

describe("RfqMakerBot", () => {
  it("quotes after its delay, two cents either side of fair value, then confirms an acceptance", () => {
    const { exchange, clock, bot, rfq, viewer, state } = setup({
      quoteDelayMs: 1_000,
      confirmDelayMs: 500,
      lapseProbability: 0,
    });
    clock.advance(999);
    bot.step();
    expect(exchange.rfqDesk.quotes.size).toBe(0);
    clock.advance(1);
    bot.step();
    const [quote] = [...exchange.rfqDesk.quotes.values()];
    expect([quote?.yesBid, quote?.noBid, quote?.userId]).toEqual([
      usd("0.61"),
      usd("0.35"),
      bot.user.userId,
    ]);
    bot.step();
    expect(exchange.rfqDesk.quotes.size).toBe(1);

    exchange.rfqDesk.acceptQuote(viewer, quote!.id, "no");
    clock.advance(499);
    bot.step();
    expect(quote?.status).toBe("accepted");
    clock.advance(1);
    bot.step();
    expect(quote?.status).toBe("confirmed");
    clock.advance(15_000);
    exchange.tick();
    expect(quote?.status).toBe("executed");
    expect(rfq.status).toBe("closed");
    // The bot bought 5 NO at $0.35; the requester 5 YES at $0.65.
    expect(state.position(bot.user.userId, 0, rfq.marketTicker).position).toBe(-500);
    expect(bot.status()).toMatchObject({ quotes: 1, confirms: 1, lapses: 0 });
  });

  it("lets the confirmation window lapse when its seeded draw says so", () => {
    const { exchange, clock, bot, viewer } = setup({ quoteDelayMs: 0, lapseProbability: 1 });
    bot.step();
    const [quote] = [...exchange.rfqDesk.quotes.values()];
    exchange.rfqDesk.acceptQuote(viewer, quote!.id, "yes");
    for (let i = 0; i < 30; i += 1) {
      clock.advance(1_000);
      bot.step();
      exchange.tick();
    }
    expect([quote?.status, quote?.cancellationReason]).toEqual([
      "cancelled",
      "confirmation_timeout",
    ]);
    expect(bot.status().lapses).toBe(1);
  });
});
