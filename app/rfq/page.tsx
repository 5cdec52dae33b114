import type { Metadata } from "next";
import Link from "next/link";

import { RequesterDesk } from "@/components/rfq/requester-desk";
import { Ticker } from "@/lib/schemas/common";
import { requirePageSession } from "@/server/auth/page-session";

export const metadata: Metadata = { title: "Request for quote" };
export const dynamic = "force-dynamic";

type Props = { searchParams: Promise<{ market?: string | string[] }> };

// GET /rfq – ask makers for quotes on a market or a combo, and follow them live
export default async function RfqPage({ searchParams }: Props) {
  await requirePageSession("/rfq");
  const raw = (await searchParams).market;
  const market = Ticker.safeParse(Array.isArray(raw) ? raw[0] : raw);
  return (
    <main className="mx-auto max-w-7xl px-4 py-6">
      <div className="mb-4 flex flex-wrap items-baseline gap-3">
        <h1 className="flex-1 text-lg font-semibold tracking-tight">Request for quote</h1>
        <Link href="/rfq/maker" className="text-sm text-accent hover:underline">
          Maker desk →
        </Link>
      </div>
      <RequesterDesk initialMarket={market.success ? market.data : ""} />
    </main>
  );
}
