"use client";
/** The browse rows' combo buttons as their own chunk, loaded after hydration (no first-load cost). */
import dynamic from "next/dynamic";

export const LazyComboRowButtons = dynamic(() => import("@/components/rfq/combo-row-buttons"), {
  ssr: false,
});
