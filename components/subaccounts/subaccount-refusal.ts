/**
 * Why a new subaccount was refused, in words a trader can act on
 * (create-subaccount.md: Advanced API tier and above; at most 63 numbered
 * subaccounts, 64 accounts with the primary).
 */
export const TIER_REQUIREMENT =
  "Kalshi opens subaccounts on the Advanced API tier and above: ask Kalshi to raise your API tier, then try again.";

export function explainSubaccountRefusal(
  error: { code: string; message: string },
  maxSubaccounts = 63,
): string {
  if (error.code.toUpperCase() === "SUBACCOUNT_LIMIT_REACHED") {
    return `All ${maxSubaccounts} numbered subaccounts are open: Kalshi allows no more (${maxSubaccounts + 1} accounts with the primary). Transfer cash between the ones you have instead.`;
  }
  if (/tier|advanced/i.test(error.message) || error.code === "forbidden") {
    return `${error.message.replace(/\.$/, "")}. ${TIER_REQUIREMENT}`;
  }
  return error.message;
}
