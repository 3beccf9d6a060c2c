// plot: an SVG of p99 latency against table size, drawn by hand (no plotting dependency).
//
// Promise: lineChart() returns a self-contained SVG with one panel per chart side by side,
// log-scaled axes (sizes span decades, and so do latencies), decade grid lines and labels,
// one polyline per series (colour per backend, solid for the service, dashed for the
// reference server) with a dot per point, an optional target line, and a legend.

export interface Series {
  name: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

export interface Panel {
  title: string;
  series: Series[];
  /** a horizontal line at the target latency, labelled */
  target?: number;
}

const W = 420;
const H = 300;
const M = { left: 58, right: 26, top: 34, bottom: 46 };

const xml = (text: string) =>
  text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');

function decades(min: number, max: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(min)); e <= Math.ceil(Math.log10(max)); e++) out.push(10 ** e);
  return out;
}

function label(value: number, unit: 'size' | 'ms'): string {
  if (unit === 'ms') return value >= 1 ? `${value} ms` : `${value.toPrecision(1)} ms`;
  return value >= 1e6 ? `${value / 1e6}M` : value >= 1e3 ? `${value / 1e3}k` : String(value);
}

function panel(p: Panel, offsetX: number, yMin: number, yMax: number): string[] {
  const xs = p.series.flatMap((s) => s.points.map((pt) => pt.x));
  const xTicks = decades(Math.min(...xs), Math.max(...xs));
  const [x0, x1] = [Math.log10(xTicks[0] as number), Math.log10(xTicks.at(-1) as number)];
  const yTicks = decades(yMin, yMax);
  const [y0, y1] = [Math.log10(yTicks[0] as number), Math.log10(yTicks.at(-1) as number)];
  const px = (x: number) =>
    offsetX + M.left + ((Math.log10(x) - x0) / (x1 - x0 || 1)) * (W - M.left - M.right);
  const py = (y: number) =>
    H - M.bottom - ((Math.log10(y) - y0) / (y1 - y0 || 1)) * (H - M.top - M.bottom);
  const out = [
    `<text x="${offsetX + W / 2}" y="20" text-anchor="middle" font-weight="bold">${xml(p.title)}</text>`,
  ];
  for (const t of yTicks) {
    const y = py(t).toFixed(1);
    out.push(
      `<line x1="${offsetX + M.left}" x2="${offsetX + W - M.right}" y1="${y}" y2="${y}" stroke="#ddd"/>`,
      `<text x="${offsetX + M.left - 6}" y="${y}" text-anchor="end" dominant-baseline="middle">${label(t, 'ms')}</text>`,
    );
  }
  for (const t of xTicks) {
    const x = px(t).toFixed(1);
    out.push(
      `<line x1="${x}" x2="${x}" y1="${M.top}" y2="${H - M.bottom}" stroke="#eee"/>`,
      `<text x="${x}" y="${H - M.bottom + 16}" text-anchor="middle">${label(t, 'size')}</text>`,
    );
  }
  out.push(
    `<rect x="${offsetX + M.left}" y="${M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="none" stroke="#444"/>`,
    `<text x="${offsetX + W / 2}" y="${H - 8}" text-anchor="middle">lessons in the table</text>`,
  );
  if (p.target !== undefined) {
    const y = py(p.target).toFixed(1);
    out.push(
      `<line x1="${offsetX + M.left}" x2="${offsetX + W - M.right}" y1="${y}" y2="${y}" stroke="#2a2" stroke-dasharray="2 3"/>`,
      `<text x="${offsetX + M.left + 4}" y="${Number(y) - 4}" fill="#2a2">target ${p.target} ms</text>`,
    );
  }
  for (const s of p.series) {
    const pts = s.points.filter((pt) => pt.x > 0 && pt.y > 0);
    if (pts.length === 0) continue;
    const path = pts.map((pt) => `${px(pt.x).toFixed(1)},${py(pt.y).toFixed(1)}`).join(' ');
    out.push(
      `<polyline points="${path}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      ...pts.map(
        (pt) =>
          `<circle cx="${px(pt.x).toFixed(1)}" cy="${py(pt.y).toFixed(1)}" r="3" fill="${s.color}"/>`,
      ),
    );
  }
  return out;
}

export function lineChart(panels: Panel[], caption: string): string {
  const ys = panels.flatMap((p) => [
    ...p.series.flatMap((s) => s.points.map((pt) => pt.y)),
    ...(p.target === undefined ? [] : [p.target]),
  ]);
  const positive = ys.filter((y) => y > 0);
  const yMin = positive.length > 0 ? Math.min(...positive) : 1;
  const yMax = positive.length > 0 ? Math.max(...positive) : 10;
  const width = W * panels.length;
  const legend = panels[0]?.series ?? [];
  const legendTop = H + 6;
  const height = legendTop + 20 * Math.ceil(legend.length / 2) + 26;
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<title>${xml(caption)}</title>`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    ...panels.flatMap((p, i) => panel(p, i * W, yMin, yMax)),
  ];
  legend.forEach((s, i) => {
    const x = 70 + (i % 2) * (width / 2);
    const y = legendTop + 20 * Math.floor(i / 2) + 10;
    parts.push(
      `<line x1="${x}" x2="${x + 30}" y1="${y}" y2="${y}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`,
      `<text x="${x + 38}" y="${y}" dominant-baseline="middle">${xml(s.name)}</text>`,
    );
  });
  parts.push(
    `<text x="${width / 2}" y="${height - 8}" text-anchor="middle" fill="#555">${xml(caption)}</text>`,
    '</svg>',
  );
  return `${parts.join('\n')}\n`;
}
