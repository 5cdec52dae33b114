"use client";
/**
 * Who is looking at the page, as far as the browser needs to know: signed in
 * or not. The root layout reads the session on the server and passes it down,
 * so a signed-out page never asks private routes (`/api/watchlist`,
 * `/api/orders`, `/api/portfolio/*`) for data they would refuse with a 401.
 */
import { createContext, useContext, type ReactNode } from "react";

const SignedInContext = createContext(false);

export function ViewerProvider({ signedIn, children }: { signedIn: boolean; children: ReactNode }) {
  return <SignedInContext.Provider value={signedIn}>{children}</SignedInContext.Provider>;
}

/** True when the page was rendered for a signed-in trader. */
export function useSignedIn(): boolean {
  return useContext(SignedInContext);
}
