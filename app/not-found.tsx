import Link from "next/link";

// Any unknown URL.
export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <p className="font-mono text-sm text-ink-faint">404</p>
      <h1 className="mt-1 text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-ink-muted">There is nothing at this address.</p>
      <Link
        href="/"
        className="mt-6 inline-block rounded-md border border-line bg-panel-raised px-4 py-1.5 text-sm font-medium hover:border-accent hover:text-accent"
      >
        Back to markets
      </Link>
    </main>
  );
}
