import type { Metadata } from "next";
import Link from "next/link";

import { MakerDesk } from "@/components/rfq/maker-desk";
import { requirePageSession } from "@/server/auth/page-session";

export const metadata: Metadata = { title: "RFQ maker desk" };
export const dynamic = "force-dynamic";

// GET /rfq/maker – answer open RFQs with two-sided quotes and confirm accepted ones
export default async function MakerPage() {
  await requirePageSession("/rfq/maker");
  return (
    <main className="mx-auto max-w-7xl px-4 py-6">
      <div className="mb-4 flex flex-wrap items-baseline gap-3">
        <h1 className="flex-1 text-lg font-semibold tracking-tight">Maker desk</h1>
        <Link href="/rfq" className="text-sm text-accent hover:underline">
          ← Requester
        </Link>
      </div>
      <MakerDesk />
    </main>
  );
}
