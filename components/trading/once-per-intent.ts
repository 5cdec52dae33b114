/**
 * At most one request per intent key at a time, and none again once it
 * succeeded: a double click or a second hotkey press while the first send is
 * in flight gets the same promise; a send after success gets the same answer.
 * A failure frees the key so a retry (same key, same client_order_id) can go.
 * One registry per tab, shared by every component that trades.
 */
export class OncePerIntent {
  private readonly inFlight = new Map<string, Promise<unknown>>();
  private readonly done = new Map<string, unknown>();

  constructor(private readonly keepDone = 500) {}

  run<T>(key: string, send: () => Promise<T>): Promise<T> {
    if (this.done.has(key)) return Promise.resolve(this.done.get(key) as T);
    const pending = this.inFlight.get(key);
    if (pending) return pending as Promise<T>;
    const promise = send().then(
      (value) => {
        this.inFlight.delete(key);
        this.done.set(key, value);
        // Bounded memory: forget the oldest acknowledged intents first.
        if (this.done.size > this.keepDone) {
          const oldest = this.done.keys().next().value;
          if (oldest !== undefined) this.done.delete(oldest);
        }
        return value;
      },
      (error: unknown) => {
        this.inFlight.delete(key);
        throw error;
      },
    );
    this.inFlight.set(key, promise);
    return promise;
  }

  isInFlight(key: string): boolean {
    return this.inFlight.has(key);
  }
}

/** The tab's registry for order sends. */
export const orderSends = new OncePerIntent();
