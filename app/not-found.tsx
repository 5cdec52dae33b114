// Any unknown URL. Rendered as the root layout's not-found boundary on every
// page, so it stays free of client components: a plain link (a full page
// load is fine from a 404) keeps next/link's client reference, and with it
// another page's chunk, out of every route's first load.
export default function NotFound() {
  return (
    <main className="mx-auto max-w-xl px-4 py-16 text-center">
      <p className="font-mono text-sm text-ink-faint">404</p>
      <h1 className="mt-1 text-lg font-semibold">Page not found</h1>
      <p className="mt-2 text-sm text-ink-muted">There is nothing at this address.</p>
      {/* eslint-disable-next-line @next/next/no-html-link-for-pages -- deliberate, see above */}
      <a
        href="/"
        className="mt-6 inline-block rounded-md border border-line bg-panel-raised px-4 py-1.5 text-sm font-medium hover:border-accent hover:text-accent"
      >
        Back to markets
      </a>
    </main>
  );
}
