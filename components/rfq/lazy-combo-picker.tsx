"use client";
/** The combo picker as its own chunk, loaded after hydration (no server render, no first-load cost). */
import dynamic from "next/dynamic";

export const LazyComboPicker = dynamic(() => import("@/components/rfq/combo-picker"), {
  ssr: false,
});
