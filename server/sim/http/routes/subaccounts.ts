/**
 * Subaccount management under `/portfolio/subaccounts`: create, balances of
 * all, cash transfers and their history, and the netting setting. Restricted
 * keys never get here (app.ts answers them 403: they "cannot transfer funds
 * or manage subaccounts").
 */
import { z } from "zod";
import { formatDollars } from "@/lib/fixed-point";
import { simErrors } from "@/server/sim/errors";
import type { RegisterRoutes } from "@/server/sim/http/env";
import { paginate } from "@/server/sim/http/pagination";
import {
  describeZodError,
  parseJsonBody,
  parseQuery,
  queryInt,
} from "@/server/sim/http/validation";
import {
  createSubaccount,
  listSubaccountTransfers,
  nettingConfigs,
  setNetting,
  transferBetweenSubaccounts,
} from "@/server/sim/subaccounts/subaccount-store";
import { subaccountNumber } from "@/server/sim/http/wire-schemas";

/** The simulator runs one exchange shard; any other index names nothing. */
const exchangeIndexZero = z
  .number()
  .int()
  .min(0)
  .max(0, "only exchange_index 0 exists in the simulator");

const createBody = z.object({ exchange_index: exchangeIndexZero.optional() }).strict();

const transferBody = z
  .object({
    client_transfer_id: z.uuid("must be a UUID"),
    from_subaccount: subaccountNumber,
    to_subaccount: subaccountNumber,
    amount_cents: z
      .number()
      .int()
      .min(1, "must be at least 1 cent")
      .max(Number.MAX_SAFE_INTEGER / 10_000),
    exchange_index: exchangeIndexZero.optional(),
  })
  .strict();

const transfersQuery = z
  .object({ limit: queryInt(1, 1000).default(100), cursor: z.string().optional() })
  .strict();

const nettingBody = z
  .object({ subaccount_number: subaccountNumber, enabled: z.boolean() })
  .strict();

const emptyQuery = z.object({}).strict();

/** Seconds, as the docs' `updated_ts` / `created_ts` ("Unix timestamp"). */
const unixSeconds = (ms: number) => Math.floor(ms / 1000);

export const registerSubaccountsRoutes: RegisterRoutes = (app, exchange) => {
  const { state } = exchange;

  // POST /portfolio/subaccounts – create the next numbered subaccount (body optional)
  app.post("/portfolio/subaccounts", async (c) => {
    const text = await c.req.text();
    if (text.trim().length > 0) {
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch {
        throw simErrors.invalidParameters("request body is not valid JSON");
      }
      const parsed = createBody.safeParse(raw);
      if (!parsed.success) throw simErrors.invalidParameters(describeZodError(parsed.error));
    }
    const number = createSubaccount(state, c.get("auth").user);
    return c.json({ subaccount_number: number }, 201);
  });

  // GET /portfolio/subaccounts/balances – free cash of the primary and every numbered subaccount
  app.get("/portfolio/subaccounts/balances", (c) => {
    parseQuery(c, emptyQuery);
    const user = c.get("auth").user;
    const subaccount_balances = [];
    for (let n = 0; n <= user.subaccountCount; n += 1) {
      subaccount_balances.push({
        subaccount_number: n,
        exchange_index: 0,
        balance: formatDollars(state.balance(user, n)),
        updated_ts: unixSeconds(state.userDataTimestamp),
      });
    }
    return c.json({ subaccount_balances });
  });

  // POST /portfolio/subaccounts/transfer – move cash between two of the caller's subaccounts
  app.post("/portfolio/subaccounts/transfer", async (c) => {
    const body = await parseJsonBody(c, transferBody);
    transferBetweenSubaccounts(state, c.get("auth").user, {
      clientTransferId: body.client_transfer_id,
      fromSubaccount: body.from_subaccount,
      toSubaccount: body.to_subaccount,
      amountCents: body.amount_cents,
    });
    return c.json({});
  });

  // GET /portfolio/subaccounts/transfers – the caller's transfers, newest first, paginated
  app.get("/portfolio/subaccounts/transfers", (c) => {
    const query = parseQuery(c, transfersQuery);
    const page = paginate(
      listSubaccountTransfers(state, c.get("auth").user.userId),
      query.cursor,
      query.limit,
    );
    return c.json({
      transfers: page.items.map((t) => ({
        transfer_id: t.transferId,
        from_subaccount: t.fromSubaccount,
        to_subaccount: t.toSubaccount,
        amount_cents: t.amountCents,
        created_ts: unixSeconds(t.createdTime),
        exchange_index: 0,
      })),
      cursor: page.cursor,
    });
  });

  // GET /portfolio/subaccounts/netting – netting setting of every subaccount
  app.get("/portfolio/subaccounts/netting", (c) => {
    parseQuery(c, emptyQuery);
    const netting_configs = nettingConfigs(state, c.get("auth").user).map((config) => ({
      subaccount_number: config.subaccount,
      enabled: config.enabled,
      exchange_index: 0,
    }));
    return c.json({ netting_configs });
  });

  // PUT /portfolio/subaccounts/netting – turn netting on or off for one subaccount
  app.put("/portfolio/subaccounts/netting", async (c) => {
    const body = await parseJsonBody(c, nettingBody);
    setNetting(state, c.get("auth").user, body.subaccount_number, body.enabled);
    return c.json({});
  });
};
