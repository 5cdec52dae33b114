export interface OAuthButtonsProps {
  providers: Array<"github" | "google">;
  action: (form: FormData) => Promise<void>;
  callbackUrl?: string;
}

const labels = { github: "Continue with GitHub", google: "Continue with Google" } as const;

/** One button per configured OAuth provider; renders nothing when none is. */
export function OAuthButtons({ providers, action, callbackUrl }: OAuthButtonsProps) {
  if (providers.length === 0) return null;
  return (
    <div className="mt-6 space-y-2 border-t border-line pt-6">
      {providers.map((provider) => (
        <form key={provider} action={action}>
          <input type="hidden" name="provider" value={provider} />
          {callbackUrl ? <input type="hidden" name="callbackUrl" value={callbackUrl} /> : null}
          <button
            type="submit"
            className="w-full rounded-md border border-line bg-panel-raised px-3 py-2 text-sm hover:border-accent"
          >
            {labels[provider]}
          </button>
        </form>
      ))}
    </div>
  );
}
