import { html } from "hono/html";
import { formatYuan, fromMinor, toMinor } from "./format.ts";
import { type Lang, t } from "./labels.ts";
import type { Html } from "./layout.ts";

export type MonthFigures = { readonly month: string; readonly collections: string; readonly payouts: string };

const WIDTH = 760;
const HEIGHT = 280;
const MARGIN = { top: 16, right: 12, bottom: 44, left: 84 };
const PLOT_W = WIDTH - MARGIN.left - MARGIN.right;
const PLOT_H = HEIGHT - MARGIN.top - MARGIN.bottom;
const COLOURS = { collections: "#1f7a5a", payouts: "#d2691e" } as const;

/**
 * A tick step of 1, 2, 2.5 or 5 times a power of ten of whole yuan (in minor units) that splits
 * `max` into at most five steps. All in bigint: the chart's geometry is the only place amounts
 * become numbers, and only as pixel heights.
 */
export function tickStep(max: bigint, scale: number): bigint {
  const unit = 10n ** BigInt(scale);
  for (let power = unit; ; power *= 10n) {
    for (const [times, per] of [
      [1n, 1n],
      [2n, 1n],
      [25n, 10n],
      [5n, 1n],
    ] as const) {
      const step = (power * times) / per;
      if (step % unit === 0n && step * 5n >= max) return step;
    }
  }
}

/** An axis label: 万 in Chinese, K/M in English, whole yuan. */
export function compactYuan(minor: bigint, scale: number, lang: Lang): string {
  const yuan = minor / 10n ** BigInt(scale);
  const trim = (text: string) => text.replace(/\.?0+$/, "");
  if (yuan === 0n) return "0";
  if (lang === "zh-CN") return yuan >= 10_000n ? `${trim(fromMinor(yuan, 4))}万` : `${yuan}`;
  if (yuan >= 1_000_000n) return `${trim(fromMinor(yuan, 6))}M`;
  return yuan >= 1_000n ? `${trim(fromMinor(yuan, 3))}K` : `${yuan}`;
}

const monthLabel = (month: string, lang: Lang) => {
  const number = Number(month.slice(5, 7));
  return lang === "en"
    ? (["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][number - 1] ?? month)
    : `${number}月`;
};

/** Pixels for a value, to a tenth of a pixel, computed in integers. */
const pixels = (value: bigint, top: bigint, span: number): number =>
  top === 0n ? 0 : Number((value * BigInt(span * 10)) / top) / 10;

/**
 * Collections against payouts month by month, as an SVG drawn on the server: no script, no
 * charting library, nothing fetched from elsewhere, so it works offline and prints as it shows.
 * Each bar carries its exact amount in a <title> (the tooltip).
 */
export function monthlyChart(months: readonly MonthFigures[], lang: Lang): Html {
  const parsed = months.map((m) => ({ month: m.month, c: toMinor(m.collections), p: toMinor(m.payouts) }));
  const scale = parsed.reduce((widest, m) => Math.max(widest, m.c.scale, m.p.scale), 2);
  const widen = (value: { minor: bigint; scale: number }) => value.minor * 10n ** BigInt(scale - value.scale);
  const values = parsed.map((m) => ({ month: m.month, c: widen(m.c), p: widen(m.p) }));
  const max = values.reduce((top, m) => (m.c > top ? m.c : m.p > top ? m.p : top), 0n);
  const step = tickStep(max > 0n ? max : 10n ** BigInt(scale), scale);
  const top = ((max + step - 1n) / step) * step || step;
  const ticks: bigint[] = [];
  for (let tick = 0n; tick <= top; tick += step) ticks.push(tick);

  const band = PLOT_W / Math.max(values.length, 1);
  const bar = Math.min(22, band * 0.36);
  const y = (value: bigint) => MARGIN.top + PLOT_H - pixels(value, top, PLOT_H);
  const money = (value: bigint) => formatYuan(fromMinor(value, scale));

  const grid = ticks.map(
    (tick) =>
      html`<g class="tick"><line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(tick)}" y2="${y(tick)}" stroke="#d9dee3" stroke-width="1"/><text x="${MARGIN.left - 8}" y="${y(tick) + 4}" text-anchor="end" font-size="11" fill="#56606b">${compactYuan(tick, scale, lang)}</text></g>`,
  );
  const bars = values.map((m, index) => {
    const x = MARGIN.left + band * index + band / 2;
    const label = monthLabel(m.month, lang);
    return html`<g class="month" data-month="${m.month}">
<rect class="bar-collections" x="${(x - bar - 1).toFixed(1)}" y="${y(m.c).toFixed(1)}" width="${bar.toFixed(1)}" height="${pixels(m.c, top, PLOT_H).toFixed(1)}" fill="${COLOURS.collections}"><title>${m.month} ${t(lang, "collections")} ${money(m.c)}</title></rect>
<rect class="bar-payouts" x="${(x + 1).toFixed(1)}" y="${y(m.p).toFixed(1)}" width="${bar.toFixed(1)}" height="${pixels(m.p, top, PLOT_H).toFixed(1)}" fill="${COLOURS.payouts}"><title>${m.month} ${t(lang, "payouts")} ${money(m.p)}</title></rect>
<text x="${x.toFixed(1)}" y="${HEIGHT - MARGIN.bottom + 16}" text-anchor="middle" font-size="11" fill="#333">${label}</text>
</g>`;
  });
  const legendY = HEIGHT - 10;
  return html`<svg class="chart" role="img" aria-labelledby="chart-title" viewBox="0 0 ${WIDTH} ${HEIGHT}" width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">
<title id="chart-title">${t(lang, "chartTitle")}</title>
${grid}
<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(0n)}" y2="${y(0n)}" stroke="#56606b" stroke-width="1"/>
${bars}
<g class="legend" font-size="12" fill="#333">
<rect x="${MARGIN.left}" y="${legendY - 10}" width="12" height="12" fill="${COLOURS.collections}"/><text x="${MARGIN.left + 18}" y="${legendY}">${t(lang, "collections")}</text>
<rect x="${MARGIN.left + 110}" y="${legendY - 10}" width="12" height="12" fill="${COLOURS.payouts}"/><text x="${MARGIN.left + 128}" y="${legendY}">${t(lang, "payouts")}</text>
</g>
</svg>`;
}
