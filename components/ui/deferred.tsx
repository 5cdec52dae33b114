"use client";
/**
 * <Deferred>: renders `fallback` until a component's chunk, fetched after the
 * page has hydrated, has arrived, then the component itself. On the server,
 * and if the load failed, the fallback stays.
 *
 * For parts of a page that are not needed for its first paint: the page
 * renders a light stand-in, the chunk downloads in parallel with hydration,
 * and the real component takes over. Unlike next/dynamic this adds no loader
 * runtime to the first load. `load` must be stable (define it at module level)
 * so that every mount shares one download.
 */
import { useEffect, useState, type ComponentType, type ReactNode } from "react";

const cache = new WeakMap<() => Promise<unknown>, ComponentType<never>>();
const pending = new WeakMap<() => Promise<unknown>, Promise<ComponentType<never>>>();

function useDeferredComponent<P>(
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

export function Deferred<P extends object>({
  load,
  what,
  props,
  fallback,
}: {
  load: () => Promise<ComponentType<P>>;
  /** Named in the console warning when the chunk fails to load. */
  what: string;
  props: P;
  fallback: ReactNode;
}) {
  const Loaded = useDeferredComponent(load, what);
  if (!Loaded) return fallback;
  // eslint-disable-next-line react-hooks/static-components -- one module-level component per chunk (cached by `load`), never created during render
  return <Loaded {...props} />;
}
