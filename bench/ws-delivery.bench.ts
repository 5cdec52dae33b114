/**
 * WebSocket delta delivery rate of the simulated exchange: how many
 * `orderbook_delta` messages per second reach subscribed clients while the
 * engine churns one market's book.
 *
 *   npx tsx bench/ws-delivery.bench.ts [clients=50] [operations=20000]
 *
 * Prints figures only; nothing here asserts a timing.
 */
import { constants, createPrivateKey, sign } from "node:crypto";
import WebSocket from "ws";
import { createAccount, generateApiKey } from "@/server/sim/accounts";
import { startSimExchange } from "@/server/sim/start";
import { addMarket } from "@/server/sim/testing/engine-fixtures";

const clients = Number(process.argv[2] ?? 50);
const operations = Number(process.argv[3] ?? 20_000);
const WS_PATH = "/trade-api/ws/v2";

const sim = await startSimExchange({ port: 0, bots: false });
const { state, engine } = sim.exchange;
const market = addMarket(state, {
  ticker: "KXBENCH-26JAN01-T50",
  eventTicker: "KXBENCH-26JAN01",
  seriesTicker: "KXBENCH",
});
const trader = createAccount(state, { balanceCents: 10_000_000_000, isBot: true });
const other = createAccount(state, { balanceCents: 10_000_000_000, isBot: true });
const viewer = createAccount(state, { balanceCents: 100 });
const key = generateApiKey(state, viewer, "bench");
const privateKey = createPrivateKey(key.privateKeyPem);

function headers(): Record<string, string> {
  const timestamp = String(Date.now());
  const signature = sign("sha256", Buffer.from(`${timestamp}GET${WS_PATH}`), {
    key: privateKey,
    padding: constants.RSA_PKCS1_PSS_PADDING,
    saltLength: constants.RSA_PSS_SALTLEN_DIGEST,
  }).toString("base64");
  return {
    "KALSHI-ACCESS-KEY": key.apiKeyId,
    "KALSHI-ACCESS-TIMESTAMP": timestamp,
    "KALSHI-ACCESS-SIGNATURE": signature,
  };
}

let delivered = 0;
let snapshots = 0;
const sockets: WebSocket[] = [];
await Promise.all(
  Array.from({ length: clients }, async () => {
    const socket = new WebSocket(sim.wsUrl, { headers: headers() });
    sockets.push(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("open", () => resolve());
      socket.once("error", reject);
    });
    const subscribed = new Promise<void>((resolve) => {
      socket.on("message", (data) => {
        const text = data.toString();
        if (text.includes('"orderbook_delta"') && text.includes('"type":"orderbook_delta"'))
          delivered += 1;
        else if (text.includes('"orderbook_snapshot"')) {
          snapshots += 1;
          resolve();
        }
      });
    });
    socket.send(
      JSON.stringify({
        id: 1,
        cmd: "subscribe",
        params: { channels: ["orderbook_delta"], market_ticker: market.ticker },
      }),
    );
    await subscribed;
  }),
);

// A churn of resting orders, cancels and crossing orders around 50¢.
let rng = 12345;
const next = () => {
  rng = (Math.imul(rng, 1103515245) + 12345) >>> 0;
  return rng / 4294967296;
};
const resting: string[] = [];
const started = process.hrtime.bigint();
for (let i = 0; i < operations; i += 1) {
  const roll = next();
  try {
    if (roll < 0.6) {
      const bid = next() < 0.5;
      const price = bid
        ? 400_000 + Math.floor(next() * 9) * 10_000
        : 510_000 + Math.floor(next() * 9) * 10_000;
      const result = engine.placeOrder({
        userId: trader.userId,
        ticker: market.ticker,
        side: bid ? "bid" : "ask",
        price,
        count: 100 * (1 + Math.floor(next() * 10)),
        timeInForce: "good_till_canceled",
      });
      resting.push(result.order.orderId);
    } else if (roll < 0.85 && resting.length > 0) {
      const id = resting.splice(Math.floor(next() * resting.length), 1)[0];
      if (id && state.orders.get(id)?.status === "resting") engine.cancelOrder(trader.userId, id);
    } else {
      const bid = next() < 0.5;
      engine.placeOrder({
        userId: other.userId,
        ticker: market.ticker,
        side: bid ? "bid" : "ask",
        price: bid ? 600_000 : 400_000,
        count: 100 * (1 + Math.floor(next() * 5)),
        timeInForce: "immediate_or_cancel",
      });
    }
  } catch {
    // Rejections (e.g. nothing to cancel) are part of the mix.
  }
  // Let the socket layer drain now and then, as a live server would between requests.
  if (i % 500 === 499) await new Promise((resolve) => setImmediate(resolve));
}
const produced = process.hrtime.bigint();
// Wait until delivery stops growing.
let last = -1;
while (last !== delivered) {
  last = delivered;
  await new Promise((resolve) => setTimeout(resolve, 200));
}
const finished = process.hrtime.bigint();

const deltasPerClient = Math.round(delivered / clients);
const seconds = Number(finished - started) / 1e9;
const produceSeconds = Number(produced - started) / 1e9;
console.log(`ws-delivery: ${clients} clients on one market, ${operations} engine operations`);
console.log(`  snapshots received       ${snapshots}`);
console.log(`  deltas per client        ${deltasPerClient}`);
console.log(`  deltas delivered         ${delivered}`);
console.log(`  engine time              ${produceSeconds.toFixed(2)} s`);
console.log(`  wall time to drain       ${seconds.toFixed(2)} s`);
console.log(
  `  delivery rate            ${Math.round(delivered / seconds).toLocaleString("en-US")} deltas/s`,
);
console.log(
  `SUMMARY ws-delivery: ${Math.round(delivered / seconds)} deltas/s to ${clients} clients (${deltasPerClient} deltas each)`,
);

for (const socket of sockets) socket.terminate();
await sim.close();
process.exit(0);
