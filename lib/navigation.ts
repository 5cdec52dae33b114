/** The app's main sections, as the header lists them. */
export const MAIN_SECTIONS = [
  { href: "/", label: "Home", signedInOnly: false },
  { href: "/markets", label: "Markets", signedInOnly: false },
  { href: "/portfolio", label: "Portfolio", signedInOnly: true },
  { href: "/rfq", label: "RFQ", signedInOnly: true },
  { href: "/settings/keys", label: "API keys", signedInOnly: true },
] as const;

/** Whether `pathname` is inside the section rooted at `href` ("/" only matches itself). */
export function inSection(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
