import Link from "next/link";

const TABS = [
  { href: "/settings/keys", label: "API keys" },
  { href: "/settings/security", label: "Security" },
] as const;

/** Tabs between the settings pages. */
export function SettingsNav({ current }: { current: (typeof TABS)[number]["href"] }) {
  return (
    <nav aria-label="Settings" className="mb-6 flex gap-1 border-b border-line">
      {TABS.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 text-sm ${tab.href === current ? "border-accent text-ink" : "border-transparent text-ink-muted hover:text-ink"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
