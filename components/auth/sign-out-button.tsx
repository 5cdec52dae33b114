export interface SignOutButtonProps {
  email: string;
  /** The server action that ends the session. */
  action: () => Promise<void>;
}

/** The signed-in user's email and a sign-out button, for the header. */
export function SignOutButton({ email, action }: SignOutButtonProps) {
  return (
    <form action={action} className="flex items-center gap-3 text-sm">
      {/* Only where the header has room for it (the switcher and the navigation come first). */}
      <span className="hidden max-w-[16rem] truncate text-ink-muted xl:inline" title={email}>
        {email}
      </span>
      <button
        type="submit"
        className="rounded-md border border-line px-2 py-1 text-ink-muted hover:border-accent hover:text-ink"
      >
        Sign out
      </button>
    </form>
  );
}
