import type { ComponentPropsWithoutRef } from "react";

export type BadgeTone = "positive" | "warning" | "negative" | "neutral" | "info";

const toneClasses: Record<BadgeTone, { box: string; dot: string }> = {
  positive: { box: "border-yes/30 bg-yes/10 text-yes", dot: "bg-yes" },
  warning: { box: "border-warn/30 bg-warn/10 text-warn", dot: "bg-warn" },
  negative: { box: "border-no/30 bg-no/10 text-no", dot: "bg-no" },
  neutral: { box: "border-line bg-panel-raised text-ink-muted", dot: "bg-ink-faint" },
  info: { box: "border-accent/30 bg-accent/10 text-accent", dot: "bg-accent" },
};

export interface BadgeProps extends ComponentPropsWithoutRef<"span"> {
  tone?: BadgeTone;
  /** Prefix the label with a status dot. */
  dot?: boolean;
}

/** A small pill label for states such as "Trading open" or "Simulator". */
export function Badge({ tone = "neutral", dot = false, className, children, ...rest }: BadgeProps) {
  const classes = toneClasses[tone];
  return (
    <span
      {...rest}
      className={`inline-flex items-center gap-1.5 rounded-full border px-2 py-0.5 text-xs font-medium whitespace-nowrap ${classes.box} ${className ?? ""}`}
    >
      {dot ? <span aria-hidden className={`size-1.5 rounded-full ${classes.dot}`} /> : null}
      {children}
    </span>
  );
}
