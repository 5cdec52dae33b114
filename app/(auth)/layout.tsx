import type { ReactNode } from "react";

// Sign-in and sign-up share one narrow, centred card.
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <main className="mx-auto flex min-h-[70dvh] max-w-sm flex-col justify-center px-4 py-10">
      <div className="rounded-lg border border-line bg-panel p-6">{children}</div>
    </main>
  );
}
