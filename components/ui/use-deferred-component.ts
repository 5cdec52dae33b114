"use client";
/**
 * Loads a component's chunk after the page has hydrated and returns it once
 * it has arrived (null before, on the server, and if the load failed).
 *
 * For parts of a page that are not needed for its first paint: the page
 * renders a light stand-in, the chunk downloads in parallel with hydration,
 * and the real component takes over. Unlike next/dynamic this adds no loader
 * runtime to the first load. `load` must be stable (define it at module level)
 * so that every mount shares one download.
 */
import { useEffect, useState, type ComponentType } from "react";

const cache = new WeakMap<() => Promise<unknown>, ComponentType<never>>();
const pending = new WeakMap<() => Promise<unknown>, Promise<ComponentType<never>>>();

export function useDeferredComponent<P>(
  load: () => Promise<ComponentType<P>>,
  what: string,
): ComponentType<P> | null {
  const [component, setComponent] = useState<ComponentType<P> | null>(
    () => (cache.get(load) as ComponentType<P> | undefined) ?? null,
  );
  useEffect(() => {
    if (component) return;
    let cancelled = false;
    let promise = pending.get(load) as Promise<ComponentType<P>> | undefined;
    if (!promise) {
      promise = load().then((loaded) => {
        cache.set(load, loaded as ComponentType<never>);
        return loaded;
      });
      pending.set(load, promise as Promise<ComponentType<never>>);
      // A failed download may succeed on the next mount.
      promise.catch(() => pending.delete(load));
    }
    promise.then(
      (loaded) => {
        if (!cancelled) setComponent(() => loaded);
      },
      (error: unknown) => console.warn(`${what} failed to load; keeping the placeholder`, error),
    );
    return () => {
      cancelled = true;
    };
  }, [component, load, what]);
  return component;
}
