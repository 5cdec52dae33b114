/**
 * The app's chart look, shared by the market and event charts: dark panel
 * colours, auto-size, time axis with times shown and prices in cents.
 */
import {
  ColorType,
  createChart,
  type ChartOptions,
  type DeepPartial,
  type IChartApi,
} from "lightweight-charts";

/**
 * Creates a chart in `container` in the app's theme; `options` are added on
 * top (its `timeScale` merged with the theme's).
 */
export function createThemedChart(
  container: HTMLElement,
  options: DeepPartial<ChartOptions> = {},
): IChartApi {
  return createChart(container, {
    autoSize: true,
    layout: {
      background: { type: ColorType.Solid, color: "#11151d" },
      textColor: "#8b93a3",
      fontSize: 11,
      attributionLogo: false,
    },
    grid: { vertLines: { color: "#1b212c" }, horzLines: { color: "#1b212c" } },
    rightPriceScale: { borderColor: "#232a36" },
    ...options,
    timeScale: { borderColor: "#232a36", timeVisible: true, ...options.timeScale },
  });
}
