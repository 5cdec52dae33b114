/**
 * Query keys and options for the RFQ screens: my RFQs, the open RFQ feed,
 * quotes on one RFQ, my quotes as a maker, collections, and the balance the
 * accept preview subtracts from. The gateway's `rfq` topic invalidates
 * `rfqKeys.all` on every event, so lists refetch when something happens.
 */
import { queryOptions } from "@tanstack/react-query";

import { apiPath, fetchApi } from "@/lib/queries/fetch-api";
import type { Collection, CollectionList } from "@/lib/schemas/collection";
import type { Balance } from "@/lib/schemas/portfolio";
import type { Quote, QuoteList, Rfq, RfqList } from "@/lib/schemas/rfq";

export const rfqKeys = {
  all: ["rfq"] as const,
  mine: (status: string) => ["rfq", "mine", status] as const,
  open: ["rfq", "open"] as const,
  one: (rfqId: string) => ["rfq", "one", rfqId] as const,
  quotesOn: (rfqId: string) => ["rfq", "quotes", rfqId] as const,
  myQuotes: ["rfq", "my-quotes"] as const,
  balance: ["rfq", "balance"] as const,
};

export const collectionKeys = {
  list: (eventTicker: string | null) => ["collections", "list", eventTicker] as const,
  one: (ticker: string) => ["collections", "one", ticker] as const,
};

/** My RFQs, newest first ("all" = open and closed). */
export function myRfqsOptions(status: "open" | "closed" | "all") {
  return queryOptions({
    queryKey: rfqKeys.mine(status),
    queryFn: ({ signal }) =>
      fetchApi<RfqList>(
        apiPath("/api/rfqs", {
          mine: true,
          limit: 100,
          status: status === "all" ? undefined : status,
        }),
        { signal },
      ).then((answer) => answer.rfqs),
  });
}

/** Every open RFQ on the exchange (the maker's feed). */
export function openRfqsOptions() {
  return queryOptions({
    queryKey: rfqKeys.open,
    queryFn: ({ signal }) =>
      fetchApi<RfqList>(apiPath("/api/rfqs", { status: "open", limit: 100 }), { signal }).then(
        (answer) => answer.rfqs,
      ),
  });
}

export function rfqOptions(rfqId: string) {
  return queryOptions({
    queryKey: rfqKeys.one(rfqId),
    queryFn: ({ signal }) =>
      fetchApi<{ rfq: Rfq }>(`/api/rfqs/${encodeURIComponent(rfqId)}`, { signal }).then(
        (answer) => answer.rfq,
      ),
  });
}

/**
 * Poll interval for a quote list: every second while a quote is accepted or
 * confirmed (a lapsed confirmation window sends no WebSocket message, so the
 * list must look), otherwise `fallback` (false while the stream is live).
 */
export function inFlightInterval(quotes: readonly Quote[] | undefined, fallback: number | false) {
  return quotes?.some((q) => q.status === "accepted" || q.status === "confirmed")
    ? 1_000
    : fallback;
}

/** Quotes on one of my RFQs. */
export function quotesOnOptions(rfqId: string) {
  return queryOptions({
    queryKey: rfqKeys.quotesOn(rfqId),
    queryFn: ({ signal }) =>
      fetchApi<QuoteList>(apiPath("/api/quotes", { rfq_id: rfqId, role: "requester" }), {
        signal,
      }).then((answer) => answer.quotes),
  });
}

/** Quotes I made as a maker. */
export function myQuotesOptions() {
  return queryOptions({
    queryKey: rfqKeys.myQuotes,
    queryFn: ({ signal }) =>
      fetchApi<QuoteList>(apiPath("/api/quotes", { role: "maker", limit: 200 }), {
        signal,
      }).then((answer) => answer.quotes),
  });
}

export function balanceOptions() {
  return queryOptions({
    queryKey: rfqKeys.balance,
    queryFn: ({ signal }) => fetchApi<Balance>("/api/portfolio/balance", { signal }),
  });
}

/** Open collections, optionally only those an event belongs to. */
export function collectionsOptions(eventTicker: string | null = null) {
  return queryOptions({
    queryKey: collectionKeys.list(eventTicker),
    queryFn: ({ signal }) =>
      fetchApi<CollectionList>(
        apiPath("/api/collections", {
          status: "open",
          associated_event_ticker: eventTicker ?? undefined,
        }),
        { signal },
      ).then((answer) => answer.multivariate_contracts),
    staleTime: 60_000,
  });
}

export function collectionOptions(ticker: string) {
  return queryOptions({
    queryKey: collectionKeys.one(ticker),
    queryFn: ({ signal }) =>
      fetchApi<{ collection: Collection }>(`/api/collections/${encodeURIComponent(ticker)}`, {
        signal,
      }).then((answer) => answer.collection),
    staleTime: 60_000,
  });
}

export type { Quote, Rfq };
