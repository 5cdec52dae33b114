/**
 * The active subaccount's cookie/storage name and value format, shared by the
 * client hook and the server pages that start in the chosen scope.
 */

/** Cookie and storage key. Value: "all" or a subaccount number 0–63. */
export const ACTIVE_SUBACCOUNT_COOKIE = "active_subaccount";

/** null = every subaccount (the whole account). */
export function parseActiveSubaccount(value: string | null | undefined): number | null {
  if (!value || value === "all") return null;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 && n <= 63 ? n : null;
}
