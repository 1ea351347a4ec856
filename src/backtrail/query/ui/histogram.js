// The histogram: SVG bars stacked per source_type; drag across it to zoom into a time range.
import { clear, fmtNumber, fmtTime, h, svg } from "./dom.js";

const KNOWN = ["cloudtrail", "alb", "vpcflow", "s3access", "cloudfront", "route53resolver", "waf",
               "guardduty", "cloudwatch", "json"];
const HEIGHT = 140, LEFT = 48, RIGHT = 8, TOP = 8, BOTTOM = 20;

/** A stable colour class per source type. */
export function colourOf(sourceType) {
  let i = KNOWN.indexOf(sourceType);
  if (i < 0) i = [...String(sourceType)].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7) % KNOWN.length;
  return `c${i}`;
}

/**
 * Draw `data` ({interval_s, buckets: [{t, source_type, count}]}) into `container` over [from, to]
 * (Dates; either may be null: then the data's own extent). `onZoom(from, to)` gets a dragged range.
 */
export function drawHistogram(container, data, { from, to, parse, onZoom }) {
  clear(container);
  const interval = Math.max(1, Number(data.interval_s) || 1) * 1000;
  const stacks = new Map(); // t (ms) -> [[source_type, count]]
  const totals = new Map(); // source_type -> count
  for (const b of data.buckets || []) {
    const t = parse(b.t);
    if (!t) continue;
    const key = t.getTime();
    if (!stacks.has(key)) stacks.set(key, []);
    stacks.get(key).push([b.source_type, Number(b.count)]);
    totals.set(b.source_type, (totals.get(b.source_type) || 0) + Number(b.count));
  }
  if (!stacks.size) {
    container.append(h("div", { class: "muted empty", text: "no events in this range" }));
    return;
  }
  const times = [...stacks.keys()];
  let t0 = from ? from.getTime() : Math.min(...times);
  let t1 = to ? to.getTime() : Math.max(...times) + interval;
  if (!from && !to && t1 - t0 < 12 * interval) { // a few buckets of data: centre them, keep bars narrow
    const pad = (12 * interval - (t1 - t0)) / 2;
    t0 -= pad;
    t1 += pad;
  }
  if (t1 <= t0) t1 = t0 + interval;
  const order = [...totals.entries()].sort((a, b) => b[1] - a[1]).map(([s]) => s);
  const width = Math.max(300, container.clientWidth || 800);
  const plotW = width - LEFT - RIGHT, plotH = HEIGHT - TOP - BOTTOM;
  const x = (t) => LEFT + ((t - t0) / (t1 - t0)) * plotW;
  const tAt = (px) => new Date(t0 + ((Math.min(Math.max(px, LEFT), LEFT + plotW) - LEFT) / plotW) * (t1 - t0));
  const max = Math.max(...[...stacks.values()].map((s) => s.reduce((a, [, n]) => a + n, 0)));

  const chart = svg("svg", { class: "chart", width, height: HEIGHT, viewBox: `0 0 ${width} ${HEIGHT}`,
                             role: "img", "aria-label": "events over time" });
  chart.append(svg("line", { class: "axis", x1: LEFT, y1: TOP + plotH, x2: LEFT + plotW, y2: TOP + plotH }));
  chart.append(svg("text", { class: "tick", x: LEFT - 4, y: TOP + 8, "text-anchor": "end" }, fmtNumber(max)));
  chart.append(svg("text", { class: "tick", x: LEFT - 4, y: TOP + plotH, "text-anchor": "end" }, "0"));
  for (let i = 0; i <= 4; i++) {
    const t = t0 + ((t1 - t0) * i) / 4;
    const anchor = i === 0 ? "start" : i === 4 ? "end" : "middle";
    chart.append(svg("text", { class: "tick", x: x(t), y: HEIGHT - 4, "text-anchor": anchor },
                     fmtTime(new Date(t)).slice(0, 16)));
  }
  const bars = svg("g", { class: "bars" });
  for (const [t, stack] of stacks) {
    const barW = Math.max(1, x(t + interval) - x(t) - 1);
    let y = TOP + plotH;
    stack.sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]));
    const total = stack.reduce((a, [, n]) => a + n, 0);
    for (const [sourceType, n] of stack) {
      const barH = Math.max(n ? 1 : 0, (n / max) * plotH);
      y -= barH;
      bars.append(svg("rect", { class: `bar ${colourOf(sourceType)}`, x: x(t), y, width: barW, height: barH,
                                "data-source": sourceType, "data-count": n },
                      svg("title", {}, `${fmtTime(new Date(t))} · ${sourceType}: ${fmtNumber(n)} of ${fmtNumber(total)}`)));
    }
  }
  chart.append(bars);
  const selection = svg("rect", { class: "selection", x: 0, y: TOP, width: 0, height: plotH, visibility: "hidden" });
  chart.append(selection);

  let start = null;
  const localX = (event) => event.clientX - chart.getBoundingClientRect().left;
  chart.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    start = Math.min(Math.max(localX(event), LEFT), LEFT + plotW);
    chart.setPointerCapture?.(event.pointerId);
    event.preventDefault();
  });
  chart.addEventListener("pointermove", (event) => {
    if (start === null) return;
    const now = Math.min(Math.max(localX(event), LEFT), LEFT + plotW);
    selection.setAttribute("x", Math.min(start, now));
    selection.setAttribute("width", Math.abs(now - start));
    selection.setAttribute("visibility", "visible");
  });
  const finish = (event) => {
    if (start === null) return;
    const end = Math.min(Math.max(localX(event), LEFT), LEFT + plotW);
    const begin = start;
    start = null;
    selection.setAttribute("visibility", "hidden");
    if (Math.abs(end - begin) < 4) return;
    onZoom(tAt(Math.min(begin, end)), tAt(Math.max(begin, end)));
  };
  chart.addEventListener("pointerup", finish);
  chart.addEventListener("pointercancel", () => { start = null; selection.setAttribute("visibility", "hidden"); });

  const legend = h("div", { class: "legend" }, order.map((s) =>
    h("span", { class: "legend-item" }, h("span", { class: `swatch ${colourOf(s)}` }), `${s} ${fmtNumber(totals.get(s))}`)));
  container.append(chart, legend,
                   h("div", { class: "hint muted", text: "drag across the chart to zoom into a time range" }));
}
