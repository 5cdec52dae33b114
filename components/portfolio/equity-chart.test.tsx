// @vitest-environment happy-dom
import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, fireEvent, render, screen } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";

import type { EquitySnapshotView } from "@/lib/schemas/portfolio-history";

import { EquityChart } from "./equity-chart";

/**
 * The equity panel's states. Without a snapshot it says so (and can ask the
 * server for one) instead of drawing an empty chart over its own message;
 * the chart is mounted only when there are points. happy-dom has no canvas,
 * so the drawing module is replaced by a stand-in that shows what it got.
 */
vi.mock("./equity-canvas", () => ({
  default: ({ points }: { points: readonly EquitySnapshotView[] }) => (
    <div data-testid="equity-canvas">{points.length} points drawn</div>
  ),
}));

const point = (at: number, totalCents: number): EquitySnapshotView => ({
  at,
  cashCents: totalCents,
  positionsCents: 0,
  totalCents,
  cashFlowCents: 0,
  reason: "manual",
});

function renderChart(subaccount: number | null = null) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false } } });
  return render(
    <QueryClientProvider client={client}>
      <EquityChart subaccount={subaccount} range="1W" onRange={() => {}} />
    </QueryClientProvider>,
  );
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("EquityChart", () => {
  it("shows an honest empty state, not a chart, until the server holds a snapshot; recording one draws it", async () => {
    let points: EquitySnapshotView[] = [];
    const posts: unknown[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init?: RequestInit) => {
        if (init?.method === "POST") {
          posts.push(JSON.parse(String(init.body)));
          points = [point(Date.now(), 100_000)];
          return Response.json({ recorded: true }, { status: 201 });
        }
        expect(url).toBe("/api/portfolio/equity?range=1W&subaccount=2");
        return Response.json({ range: "1W", subaccount: 2, points });
      }),
    );
    renderChart(2);
    const empty = await screen.findByTestId("equity-empty");
    expect(empty.textContent).toContain("No snapshot yet");
    expect(empty.textContent).toContain("subaccount 2");
    expect(screen.queryByTestId("equity-canvas")).toBeNull();
    expect(screen.getByTestId("equity-points").textContent).toBe("0 snapshots");

    fireEvent.click(screen.getByRole("button", { name: "Record a snapshot now" }));
    expect((await screen.findByTestId("equity-canvas")).textContent).toBe("1 points drawn");
    expect(posts).toEqual([{ reason: "manual" }]);
    expect(screen.queryByTestId("equity-empty")).toBeNull();
    expect(screen.getByTestId("equity-points").textContent).toBe("1 snapshot");
  });

  it("draws the points it has, and says when the record cannot be loaded", async () => {
    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json({ range: "1W", subaccount: null, points: [point(1, 1), point(2, 2)] }),
      ),
    );
    renderChart();
    expect((await screen.findByTestId("equity-canvas")).textContent).toBe("2 points drawn");
    cleanup();

    vi.stubGlobal(
      "fetch",
      vi.fn(async () =>
        Response.json(
          { error: { code: "upstream_error", message: "exchange down" } },
          { status: 502 },
        ),
      ),
    );
    renderChart();
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("could not be loaded");
    expect(alert.textContent).toContain("exchange down");
    expect(screen.queryByTestId("equity-canvas")).toBeNull();
    expect(screen.queryByTestId("equity-empty")).toBeNull();
  });
});
