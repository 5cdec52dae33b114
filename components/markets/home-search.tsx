"use client";

import { SearchBox } from "@/components/markets/search-box";

/** The home page's search box (a client island inside the server-rendered page). */
export function HomeSearch() {
  return <SearchBox />;
}
