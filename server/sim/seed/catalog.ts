/**
 * What the simulated exchange lists: six series across Kalshi's main
 * categories, each with events at different points of their life, dated
 * relative to the exchange clock so the data always looks current.
 *
 * - KXHIGHNY (Climate and Weather): NYC daily high, 6 markets a day (two
 *   tails, four 2° brackets), days −2 … +2.
 * - KXCPI (Economics): CPI month-over-month "above x%" ladder, the coming
 *   release and the previous one.
 * - KXFEDDECISION (Economics): the next FOMC decision, 4 outcomes,
 *   tapered_deci_cent.
 * - KXMAYORLKP (Politics): a (fictional) mayoral race, 5 candidates,
 *   tapered_deci_cent.
 * - KXNFLGAME (Sports): three games (upcoming, just finished, settled),
 *   one market per team.
 * - KXBTC (Crypto): hourly Bitcoin price ranges, deci_cent, fee multiplier 0.5.
 */
import type { SeededRandom } from "@/server/sim/random";
import {
  addEvent,
  addSeries,
  type BackfillPlan,
  type MarketSpec,
} from "@/server/sim/seed/builders";
import {
  DAY_MS,
  HOUR_MS,
  LocalCalendar,
  MINUTE_MS,
  newYorkOffsetMs,
  nextHour,
} from "@/server/sim/seed/calendar";
import { normalBetween, normalCdf } from "@/server/sim/seed/probability";
import type { SimState } from "@/server/sim/state";

interface CatalogContext {
  state: SimState;
  random: SeededRandom;
  now: number;
  et: LocalCalendar;
  plans: BackfillPlan[];
}

const COLORS = [
  "#2563EB",
  "#DC2626",
  "#16A34A",
  "#D97706",
  "#7C3AED",
  "#0891B2",
  "#DB2777",
  "#4B5563",
];

/** Builds every series, event and market; returns the markets whose history must be backfilled. */
export function buildCatalog(state: SimState): BackfillPlan[] {
  const now = state.now();
  const ctx: CatalogContext = {
    state,
    random: state.random,
    now,
    et: new LocalCalendar(newYorkOffsetMs(now)),
    plans: [],
  };
  seedWeather(ctx);
  seedCpi(ctx);
  seedFed(ctx);
  seedMayor(ctx);
  seedFootball(ctx);
  seedBitcoin(ctx);
  return ctx.plans;
}

const round1 = (x: number) => Math.round(x * 10) / 10;

// ------------------------------------------------------------------ weather

/** Central Park normal daily highs by month, °F. */
export const NYC_NORMAL_HIGH = [39, 42, 50, 62, 72, 80, 85, 84, 76, 65, 54, 44];

function seedWeather(ctx: CatalogContext): void {
  const { state, random, now, et } = ctx;
  const series = addSeries(
    state,
    {
      ticker: "KXHIGHNY",
      title: "Highest temperature in NYC today",
      category: "Climate and Weather",
      tags: ["Weather", "Daily temperature"],
      frequency: "daily",
      feeType: "quadratic",
      feeMultiplier: 1,
      settlementSources: [
        {
          name: "National Weather Service",
          url: "https://forecast.weather.gov/product.php?site=OKX&product=CLI&issuedby=NYC",
        },
      ],
      productMetadata: { unit: "°F", station: "Central Park, New York" },
    },
    now - 30 * DAY_MS,
  );
  const today = et.dayStart(now);
  const lifecycles = {
    [-2]: "finalized",
    [-1]: "determined",
    0: "active",
    1: "active",
    2: "initialized",
  } as const;

  for (const offset of [-2, -1, 0, 1, 2] as const) {
    const day = today + offset * DAY_MS;
    const lifecycle = lifecycles[offset];
    const dateLabel = et.dateLabel(day);
    const eventTicker = `${series.ticker}-${et.dateCode(day)}`;
    const forecast = NYC_NORMAL_HIGH[et.month(day)] ?? 70;
    const mean = round1(forecast + random.gaussian() * 4);
    // Uncertainty shrinks as the day approaches; a past day has an observed high.
    const sd = offset <= 0 ? 2 : offset === 1 ? 3 : 3.8;
    const observed = Math.round(mean + random.gaussian() * 2);
    const settled = offset < 0;

    // Listed four days ahead, so even today's markets carry days of history.
    const naturalOpen = day - 4 * DAY_MS + 10 * HOUR_MS;
    const openTime =
      lifecycle === "initialized" ? Math.max(naturalOpen, nextHour(now) + HOUR_MS) : naturalOpen;
    const closeTime = day + DAY_MS - MINUTE_MS;
    const report = day + DAY_MS + 10 * HOUR_MS;
    // A determined day was decided a little while ago, so its settlement timer is still running.
    const determinationTime =
      lifecycle === "determined"
        ? Math.max(closeTime + MINUTE_MS, Math.min(report, now - 15 * MINUTE_MS))
        : report;

    const markets = weatherMarketSpecs({ dateLabel, mean, sd, observed });

    addEvent(
      state,
      {
        series,
        eventTicker,
        title: `Highest temperature in NYC on ${dateLabel}?`,
        subTitle: `On ${dateLabel}`,
        mutuallyExclusive: true,
        strikeDate: closeTime,
        lifecycle,
        createdTime: openTime - HOUR_MS,
        openTime,
        closeTime,
        expectedExpirationTime: report,
        latestExpirationTime: day + 8 * DAY_MS,
        determinationTime,
        settlementTimerSeconds: 3600,
        canCloseEarly: false,
        priceLevelStructure: "linear_cent",
        expirationValue: settled ? String(observed) : undefined,
        occurrenceTime: settled ? day + 15 * HOUR_MS : undefined,
        history: { meanGapMs: 7 * MINUTE_MS, volatility: 0.18 },
        markets,
      },
      ctx.plans,
    );
  }
}

export interface WeatherMarketsInput {
  dateLabel: string;
  /** Forecast mean of the day's high, °F. */
  mean: number;
  sd: number;
  /** The observed high, once known (sets each spec's `result`). */
  observed?: number;
}

/**
 * The six KXHIGHNY markets of one day (two tails, four 2° brackets around the
 * forecast), with colours. A rolling-generation hook: the lifecycle lists new
 * days with it, so seeded and generated days look alike.
 */
export function weatherMarketSpecs(input: WeatherMarketsInput): MarketSpec[] {
  const { dateLabel, mean, sd, observed } = input;
  const low = Math.round(mean) - 3;
  const outcome = (yes: (o: number) => boolean): "yes" | "no" | undefined =>
    observed === undefined ? undefined : yes(observed) ? "yes" : "no";
  const rules = (range: string) =>
    `If the highest temperature recorded in Central Park, New York for ${dateLabel} as reported by the ` +
    `National Weather Service's Climatological Report (Daily) is ${range}, then the market resolves to Yes.`;
  const secondary =
    "Not all weather data is final. The market resolves on the first complete Climatological Report for the date; " +
    "later revisions are not considered.";
  const bucketChance = (from: number, to: number) => normalBetween(from - 0.5, to + 0.5, mean, sd);
  const markets: MarketSpec[] = [];
  markets.push({
    suffix: `T${low}`,
    title: `Will the high temp in NYC be <${low}° on ${dateLabel}?`,
    yesSubTitle: `${low - 1}° or below`,
    rulesPrimary: rules(`less than ${low}°`),
    rulesSecondary: secondary,
    strikeType: "less",
    capStrike: low,
    probability: normalCdf((low - 0.5 - mean) / sd),
    result: outcome((o) => o < low),
  });
  for (let b = 0; b < 4; b += 1) {
    const from = low + 2 * b;
    markets.push({
      suffix: `B${from + 0.5}`,
      title: `Will the high temp in NYC be ${from}-${from + 1}° on ${dateLabel}?`,
      yesSubTitle: `${from}° to ${from + 1}°`,
      rulesPrimary: rules(`between ${from}-${from + 1}°`),
      rulesSecondary: secondary,
      strikeType: "between",
      floorStrike: from,
      capStrike: from + 1,
      probability: bucketChance(from, from + 1),
      result: outcome((o) => o >= from && o <= from + 1),
    });
  }
  const high = low + 7;
  markets.push({
    suffix: `T${high}`,
    title: `Will the high temp in NYC be >${high}° on ${dateLabel}?`,
    yesSubTitle: `${high + 1}° or above`,
    rulesPrimary: rules(`greater than ${high}°`),
    rulesSecondary: secondary,
    strikeType: "greater",
    floorStrike: high,
    probability: 1 - normalCdf((high + 0.5 - mean) / sd),
    result: outcome((o) => o > high),
  });
  markets.forEach((m, i) => (m.colorCode = COLORS[i % COLORS.length]));
  return markets;
}

// ------------------------------------------------------------------ CPI

function seedCpi(ctx: CatalogContext): void {
  const { state, random, now, et } = ctx;
  const series = addSeries(
    state,
    {
      ticker: "KXCPI",
      title: "CPI month-over-month",
      category: "Economics",
      tags: ["Inflation", "CPI"],
      frequency: "monthly",
      feeType: "quadratic_with_maker_fees",
      feeMultiplier: 1,
      settlementSources: [{ name: "Bureau of Labor Statistics", url: "https://www.bls.gov/cpi/" }],
    },
    now - 60 * DAY_MS,
  );
  const nextRelease = et.dayStart(now) + 6 * DAY_MS + 8.5 * HOUR_MS;
  for (const monthsBack of [1, 0]) {
    const release = nextRelease - monthsBack * 30 * DAY_MS;
    const refMonth = release - 30 * DAY_MS;
    const monthLabel = et.monthLabel(refMonth);
    const mean = 0.2 + random.gaussian() * 0.08;
    const sd = 0.1;
    const actual = round1(mean + random.gaussian() * sd);
    const lifecycle = monthsBack === 0 ? "active" : "finalized";
    const markets: MarketSpec[] = [0, 0.1, 0.2, 0.3, 0.4].map((x, i) => ({
      suffix: `T${x.toFixed(1)}`,
      title: `Will CPI rise more than ${x.toFixed(1)}% in ${monthLabel}?`,
      yesSubTitle: `Above ${x.toFixed(1)}%`,
      rulesPrimary:
        `If the seasonally adjusted CPI-U month-over-month change for ${monthLabel}, as first reported by the ` +
        `Bureau of Labor Statistics, is above ${x.toFixed(1)}%, then the market resolves to Yes.`,
      rulesSecondary:
        "The change is taken as published, rounded to one decimal place. If the release is delayed, the market " +
        "closes at the rescheduled release time.",
      strikeType: "greater",
      floorStrike: x,
      // The published figure is rounded to 0.1: "above x" means the true change is ≥ x + 0.05.
      probability: 1 - normalCdf((x + 0.05 - mean) / sd),
      result: actual > x + 1e-9 ? "yes" : "no",
      colorCode: COLORS[i % COLORS.length],
    }));
    addEvent(
      state,
      {
        series,
        eventTicker: `${series.ticker}-${et.monthCode(refMonth)}`,
        title: `CPI in ${monthLabel}?`,
        subTitle: `${monthLabel} CPI, month over month`,
        mutuallyExclusive: false,
        strikeDate: null,
        strikePeriod: "month",
        lifecycle,
        createdTime: release - 26 * DAY_MS,
        openTime: release - 25 * DAY_MS,
        closeTime: release - MINUTE_MS,
        expectedExpirationTime: release + 5 * MINUTE_MS,
        latestExpirationTime: release + 14 * DAY_MS,
        determinationTime: release + 10 * MINUTE_MS,
        settlementTimerSeconds: 1800,
        canCloseEarly: true,
        earlyCloseCondition:
          "This market closes early if the BLS publishes the figure ahead of schedule.",
        priceLevelStructure: "linear_cent",
        expirationValue: actual.toFixed(1),
        occurrenceTime: release,
        history: { meanGapMs: 8 * MINUTE_MS, volatility: 0.12 },
        markets,
      },
      ctx.plans,
    );
  }
}

// ------------------------------------------------------------------ Fed

function seedFed(ctx: CatalogContext): void {
  const { state, random, now, et } = ctx;
  const series = addSeries(
    state,
    {
      ticker: "KXFEDDECISION",
      title: "Fed rate decision",
      category: "Economics",
      tags: ["Fed", "Interest rates"],
      frequency: "custom",
      feeType: "quadratic",
      feeMultiplier: 1,
      settlementSources: [
        {
          name: "Federal Reserve",
          url: "https://www.federalreserve.gov/monetarypolicy/openmarket.htm",
        },
      ],
    },
    now - 90 * DAY_MS,
  );
  const announcement = et.dayStart(now) + 27 * DAY_MS + 14 * HOUR_MS;
  const meeting = et.dateLabel(announcement);
  const hold = 0.55 + random.next() * 0.2;
  const cut = (1 - hold) * (0.78 + random.next() * 0.12);
  const bigCut = (1 - hold - cut) * 0.7;
  const hike = Math.max(1 - hold - cut - bigCut, 0.004);
  const outcomes: Array<[string, string, string, number]> = [
    [
      "H25",
      "Hike 25bps",
      "raises the upper bound of the federal funds target range by 25 basis points",
      hike,
    ],
    ["H0", "Hold", "leaves the federal funds target range unchanged", hold],
    [
      "C25",
      "Cut 25bps",
      "lowers the upper bound of the federal funds target range by 25 basis points",
      cut,
    ],
    [
      "C26",
      "Cut >25bps",
      "lowers the upper bound of the federal funds target range by more than 25 basis points",
      bigCut,
    ],
  ];
  addEvent(
    state,
    {
      series,
      eventTicker: `${series.ticker}-${et.monthCode(announcement)}`,
      title: `Fed decision in ${et.monthLabel(announcement)}?`,
      subTitle: `FOMC meeting ending ${meeting}`,
      mutuallyExclusive: true,
      strikeDate: announcement,
      lifecycle: "active",
      createdTime: announcement - 60 * DAY_MS,
      openTime: announcement - 59 * DAY_MS,
      closeTime: announcement - MINUTE_MS,
      expectedExpirationTime: announcement + 5 * MINUTE_MS,
      latestExpirationTime: announcement + 14 * DAY_MS,
      settlementTimerSeconds: 1800,
      canCloseEarly: true,
      earlyCloseCondition:
        "This market closes early if the FOMC announces its decision before the scheduled time.",
      priceLevelStructure: "tapered_deci_cent",
      history: { meanGapMs: 6 * MINUTE_MS, volatility: 0.1 },
      markets: outcomes.map(([suffix, label, rule, p], i) => ({
        suffix,
        title: `Will the Fed ${label.toLowerCase()} on ${meeting}?`,
        yesSubTitle: label,
        rulesPrimary: `If the Federal Open Market Committee ${rule} at its meeting ending ${meeting}, then the market resolves to Yes.`,
        rulesSecondary:
          "Only the statement released at the end of the scheduled meeting counts; intermeeting moves do not.",
        strikeType: "custom",
        probability: p,
        colorCode: COLORS[i % COLORS.length],
      })),
    },
    ctx.plans,
  );
}

// ------------------------------------------------------------------ politics

/** Fictional candidates: the simulator must never look like a claim about a real race. */
const CANDIDATES: Array<[string, string]> = [
  ["MDEL", "Maria Delgado"],
  ["JWHI", "James Whitfield"],
  ["PRAM", "Priya Raman"],
  ["TOCO", "Thomas O'Connell"],
  ["ABRO", "Angela Brooks"],
];

function seedMayor(ctx: CatalogContext): void {
  const { state, random, now, et } = ctx;
  const series = addSeries(
    state,
    {
      ticker: "KXMAYORLKP",
      title: "Lakeport mayoral election",
      category: "Politics",
      tags: ["Elections", "Local"],
      frequency: "one_off",
      feeType: "quadratic",
      feeMultiplier: 1,
      settlementSources: [
        { name: "Lakeport Board of Elections", url: "https://elections.lakeport.example" },
      ],
      additionalProhibitions: [
        "Candidates, campaign staff and election officials may not trade this market.",
      ],
    },
    now - 45 * DAY_MS,
  );
  const electionDay = et.dayStart(now) + 75 * DAY_MS;
  const weights = CANDIDATES.map(() => Math.exp(random.gaussian() * 1.3));
  const total = weights.reduce((a, b) => a + b, 0);
  addEvent(
    state,
    {
      series,
      eventTicker: `${series.ticker}-${et.dateCode(electionDay)}`,
      title: "Who will win the Lakeport mayoral election?",
      subTitle: `Election on ${et.dateLabel(electionDay)}`,
      mutuallyExclusive: true,
      strikeDate: electionDay + 20 * HOUR_MS,
      lifecycle: "active",
      createdTime: now - 40 * DAY_MS,
      openTime: now - 40 * DAY_MS + HOUR_MS,
      closeTime: electionDay + 60 * DAY_MS,
      expectedExpirationTime: electionDay + DAY_MS,
      latestExpirationTime: electionDay + 90 * DAY_MS,
      settlementTimerSeconds: 86_400,
      canCloseEarly: true,
      earlyCloseCondition: "This market closes early once the election result is certified.",
      priceLevelStructure: "tapered_deci_cent",
      history: { meanGapMs: 7 * MINUTE_MS, volatility: 0.06 },
      markets: CANDIDATES.map(([suffix, name], i) => ({
        suffix,
        title: `Will ${name} win the Lakeport mayoral election?`,
        yesSubTitle: name,
        rulesPrimary: `If ${name} is certified as the winner of the Lakeport mayoral election held on ${et.dateLabel(electionDay)}, then the market resolves to Yes.`,
        rulesSecondary:
          "A runoff counts toward the same election. If no election is held before the latest expiration, the market resolves to No.",
        strikeType: "custom",
        probability: (weights[i] ?? 1) / total,
        colorCode: COLORS[i % COLORS.length],
      })),
    },
    ctx.plans,
  );
}

// ------------------------------------------------------------------ sports

const TEAMS: Array<[string, string]> = [
  ["KC", "Kansas City"],
  ["BUF", "Buffalo"],
  ["PHI", "Philadelphia"],
  ["DAL", "Dallas"],
  ["SF", "San Francisco"],
  ["DET", "Detroit"],
  ["BAL", "Baltimore"],
  ["GB", "Green Bay"],
];

function seedFootball(ctx: CatalogContext): void {
  const { state, random, now, et } = ctx;
  const series = addSeries(
    state,
    {
      ticker: "KXNFLGAME",
      title: "Professional football game",
      category: "Sports",
      tags: ["Football"],
      frequency: "custom",
      feeType: "quadratic_with_maker_fees",
      feeMultiplier: 1,
      settlementSources: [{ name: "NFL", url: "https://www.nfl.com/scores/" }],
    },
    now - 120 * DAY_MS,
  );
  const order = [...TEAMS];
  for (let i = order.length - 1; i > 0; i -= 1) {
    const j = random.int(0, i);
    [order[i], order[j]] = [order[j] as [string, string], order[i] as [string, string]];
  }
  const games = [
    { kickoff: nextHour(now) + 4 * HOUR_MS, lifecycle: "active" as const },
    { kickoff: Math.floor(now / HOUR_MS) * HOUR_MS - 4 * HOUR_MS, lifecycle: "closed" as const },
    { kickoff: et.dayStart(now) - 2 * DAY_MS + 13 * HOUR_MS, lifecycle: "finalized" as const },
  ];
  games.forEach((game, g) => {
    const away = order[2 * g] as [string, string];
    const home = order[2 * g + 1] as [string, string];
    const homeChance = 0.3 + random.next() * 0.4;
    const homeWins = random.chance(homeChance);
    const gameLabel = `${away[1]} at ${home[1]}`;
    const date = et.dateLabel(game.kickoff);
    const finished = game.kickoff + 3 * HOUR_MS + 15 * MINUTE_MS;
    // Games end early: the market closes once the final whistle is confirmed.
    const closeTime =
      game.lifecycle === "active" ? game.kickoff + 15 * DAY_MS : finished + 10 * MINUTE_MS;
    const sides: Array<[[string, string], number, boolean]> = [
      [away, 1 - homeChance, !homeWins],
      [home, homeChance, homeWins],
    ];
    addEvent(
      state,
      {
        series,
        eventTicker: `${series.ticker}-${et.dateCode(game.kickoff)}${away[0]}${home[0]}`,
        title: gameLabel,
        subTitle: `${away[0]} at ${home[0]} (${date})`,
        mutuallyExclusive: true,
        strikeDate: game.kickoff + 3 * HOUR_MS,
        lifecycle: game.lifecycle,
        createdTime: game.kickoff - 7 * DAY_MS,
        openTime: game.kickoff - 6 * DAY_MS,
        closeTime,
        // The finished game's result is still under official review, so it stays
        // "closed" (awaiting determination) for a while after start-up.
        expectedExpirationTime:
          game.lifecycle === "closed" ? now + 45 * MINUTE_MS : game.kickoff + 3.5 * HOUR_MS,
        latestExpirationTime: game.kickoff + 16 * DAY_MS,
        determinationTime: finished + 20 * MINUTE_MS,
        settlementTimerSeconds: 600,
        canCloseEarly: true,
        earlyCloseCondition: "This market closes early once the game has ended.",
        priceLevelStructure: "linear_cent",
        competition: "Pro Football",
        competitionScope: "Game",
        expirationValue: homeWins ? home[1] : away[1],
        occurrenceTime: finished,
        history: { meanGapMs: 6 * MINUTE_MS, volatility: 0.12 },
        markets: sides.map(([team, chance, wins], i) => ({
          suffix: team[0],
          title: `${gameLabel} Winner?`,
          yesSubTitle: team[1],
          rulesPrimary: `If ${team[1]} wins the ${gameLabel} professional football game originally scheduled for ${date}, then the market resolves to Yes.`,
          rulesSecondary:
            "Overtime counts. If the game is postponed and not played within 14 days, the market resolves to No for both teams.",
          strikeType: "custom",
          // A finished game trades near its result while it awaits determination.
          probability: game.lifecycle === "closed" ? (wins ? 0.97 : 0.03) : chance,
          result: wins ? "yes" : "no",
          colorCode: COLORS[i % COLORS.length],
        })),
      },
      ctx.plans,
    );
  });
}

// ------------------------------------------------------------------ crypto

function seedBitcoin(ctx: CatalogContext): void {
  const { state, random, now, et } = ctx;
  const series = addSeries(
    state,
    {
      ticker: "KXBTC",
      title: "Bitcoin price range",
      category: "Crypto",
      tags: ["BTC", "Hourly"],
      frequency: "hourly",
      feeType: "quadratic",
      feeMultiplier: 0.5,
      settlementSources: [
        { name: "CF Benchmarks", url: "https://www.cfbenchmarks.com/data/indices/BRTI" },
      ],
    },
    now - 200 * DAY_MS,
  );
  const spot = 95_000 + Math.round(random.next() * 20_000);
  const nextClose = nextHour(now);
  const hourly = [
    { close: nextClose - 2 * HOUR_MS, lifecycle: "finalized" as const },
    { close: nextClose - HOUR_MS, lifecycle: "determined" as const },
    { close: nextClose, lifecycle: "active" as const },
    { close: nextClose + HOUR_MS, lifecycle: "active" as const },
    { close: nextClose + 2 * HOUR_MS, lifecycle: "initialized" as const },
  ];
  for (const { close, lifecycle } of hourly) {
    const hoursAhead = Math.max((close - now) / HOUR_MS, 0.25);
    const sd = spot * 0.004 * Math.sqrt(hoursAhead);
    const center = Math.round((spot + random.gaussian() * spot * 0.002) / 500) * 500;
    const settledAt = Math.round(spot + random.gaussian() * spot * 0.003);
    const when = `${et.dateLabel(close)} at ${et.hourLabel(close)} ${et.zoneName}`;
    const markets = bitcoinMarketSpecs({
      when,
      closeLabel: `${et.hourLabel(close)} ${et.zoneName} on ${et.dateLabel(close)}`,
      center,
      spot,
      sd,
      settledAt,
    });
    addEvent(
      state,
      {
        series,
        eventTicker: `${series.ticker}-${et.dateCode(close)}${String(et.hour(close)).padStart(2, "0")}`,
        title: `Bitcoin price today at ${et.hourLabel(close)} ${et.zoneName}?`,
        subTitle: when,
        mutuallyExclusive: true,
        strikeDate: close,
        lifecycle,
        createdTime: close - 25 * HOUR_MS,
        // The next hour's event lists when the current one closes.
        openTime: lifecycle === "initialized" ? nextClose : close - 24 * HOUR_MS,
        closeTime: close,
        expectedExpirationTime: close + 5 * MINUTE_MS,
        latestExpirationTime: close + 7 * DAY_MS,
        determinationTime: Math.min(close + 2 * MINUTE_MS, now),
        settlementTimerSeconds: lifecycle === "determined" ? 3600 : 300,
        canCloseEarly: false,
        priceLevelStructure: "deci_cent",
        expirationValue: settledAt.toFixed(2),
        occurrenceTime: close,
        history: { meanGapMs: 4 * MINUTE_MS, volatility: 0.35 },
        markets,
      },
      ctx.plans,
    );
  }
}

export interface BitcoinMarketsInput {
  /** "Aug 21, 2025 at 5pm EDT". */
  when: string;
  /** "5pm EDT on Aug 21, 2025": the fixing time the rules name. */
  closeLabel: string;
  /** Middle of the ladder, a multiple of $500. */
  center: number;
  spot: number;
  /** Standard deviation of the price at the close, dollars. */
  sd: number;
  /** The fixing, once known (sets each spec's `result`). */
  settledAt?: number;
}

/**
 * The KXBTC range ladder of one fixing (two tails and $500 brackets around
 * `center`), with colours. A rolling-generation hook: the lifecycle lists new
 * fixings with it, so seeded and generated events look alike.
 */
export function bitcoinMarketSpecs(input: BitcoinMarketsInput): MarketSpec[] {
  const { when, closeLabel, center, spot, sd, settledAt } = input;
  const outcome = (yes: (v: number) => boolean): "yes" | "no" | undefined =>
    settledAt === undefined ? undefined : yes(settledAt) ? "yes" : "no";
  const usd = (x: number) =>
    x.toLocaleString("en-US", { minimumFractionDigits: 0, maximumFractionDigits: 2 });
  const rules = (range: string) =>
    `If the simple average of the sixty seconds of CF Benchmarks' Bitcoin Real-Time Index (BRTI) before ` +
    `${closeLabel} is ${range}, then the market resolves to Yes.`;
  const secondary =
    "The index value is rounded to the cent. Market data outages are handled per the rulebook.";
  const lowEdge = center - 1000;
  const highEdge = center + 1000;
  const markets: MarketSpec[] = [
    {
      suffix: `T${(lowEdge - 0.01).toFixed(2)}`,
      title: `Bitcoin price on ${when}?`,
      yesSubTitle: `$${usd(lowEdge - 0.01)} or below`,
      rulesPrimary: rules(`below $${usd(lowEdge)}`),
      rulesSecondary: secondary,
      strikeType: "less",
      capStrike: lowEdge - 0.01,
      probability: normalCdf((lowEdge - spot) / sd),
      result: outcome((v) => v < lowEdge),
    },
  ];
  for (let from = lowEdge; from < highEdge; from += 500) {
    markets.push({
      suffix: `B${from + 250}`,
      title: `Bitcoin price range on ${when}?`,
      yesSubTitle: `$${usd(from)} to ${usd(from + 499.99)}`,
      rulesPrimary: rules(`between $${usd(from)} and $${usd(from + 499.99)}`),
      rulesSecondary: secondary,
      strikeType: "between",
      floorStrike: from,
      capStrike: from + 499.99,
      probability: normalBetween(from, from + 500, spot, sd),
      result: outcome((v) => v >= from && v < from + 500),
    });
  }
  markets.push({
    suffix: `T${(highEdge - 0.01).toFixed(2)}`,
    title: `Bitcoin price on ${when}?`,
    yesSubTitle: `$${usd(highEdge)} or above`,
    rulesPrimary: rules(`$${usd(highEdge)} or above`),
    rulesSecondary: secondary,
    strikeType: "greater",
    floorStrike: highEdge - 0.01,
    probability: 1 - normalCdf((highEdge - spot) / sd),
    result: outcome((v) => v >= highEdge),
  });
  markets.forEach((m, i) => (m.colorCode = COLORS[i % COLORS.length]));
  return markets;
}
