import type { Metadata } from "next";
import { cookies } from "next/headers";

import {
  ACTIVE_SUBACCOUNT_COOKIE,
  parseActiveSubaccount,
} from "@/components/subaccounts/active-subaccount-cookie";
import { SubaccountsScreen } from "@/components/subaccounts/subaccounts-screen";
import { requirePageSession } from "@/server/auth/page-session";

export const metadata: Metadata = { title: "Subaccounts" };
export const dynamic = "force-dynamic";

// GET /portfolio/subaccounts – every subaccount's balance, new subaccounts, and transfers between them
export default async function SubaccountsPage() {
  await requirePageSession("/portfolio/subaccounts");
  const scope = parseActiveSubaccount((await cookies()).get(ACTIVE_SUBACCOUNT_COOKIE)?.value);
  return <SubaccountsScreen initialSubaccount={scope} />;
}
