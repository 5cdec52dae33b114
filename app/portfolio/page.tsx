import type { Metadata } from "next";
import { cookies } from "next/headers";

import { PortfolioScreen } from "@/components/portfolio/portfolio-screen";
import {
  ACTIVE_SUBACCOUNT_COOKIE,
  parseActiveSubaccount,
} from "@/components/subaccounts/active-subaccount-cookie";
import { requirePageSession } from "@/server/auth/page-session";

export const metadata: Metadata = { title: "Portfolio" };
export const dynamic = "force-dynamic";

// GET /portfolio – balance, positions, P&L, equity curve and history, live
export default async function PortfolioPage() {
  await requirePageSession("/portfolio");
  const scope = parseActiveSubaccount((await cookies()).get(ACTIVE_SUBACCOUNT_COOKIE)?.value);
  return <PortfolioScreen initialSubaccount={scope} />;
}
