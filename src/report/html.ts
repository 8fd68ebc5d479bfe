// HTML building blocks for the report: escaping, number formatting, tables, inlined SVG and the
// page shell with its inline stylesheet. Everything the page needs is in the one file.

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

/** Markup that is already safe (built by these helpers), as opposed to text to escape. */
export class Html {
  constructor(readonly markup: string) {}
  toString(): string {
    return this.markup;
  }
}

/** Template tag: interpolated values are escaped unless they are Html (or arrays of it). */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  values.forEach((v, i) => {
    out += render(v) + strings[i + 1]!;
  });
  return new Html(out);
}

function render(v: unknown): string {
  if (v instanceof Html) return v.markup;
  if (Array.isArray(v)) return v.map(render).join('');
  if (v === undefined || v === null || v === false) return '';
  return escapeHtml(v);
}

/** 3 decimals, or an em dash for undefined values (NaN, missing). */
export function fmt(v: unknown, digits = 3): string {
  return typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits) : '—';
}

export interface IntervalLike {
  value: number;
  lo?: number;
  hi?: number;
}

/** "0.700 (0.397–0.892)": the value and its 95 % interval when it has one. */
export function fmtInterval(iv: IntervalLike | undefined): Html {
  if (!iv || !Number.isFinite(iv.value)) return html`<span class="na" title="undefined">—</span>`;
  const ci = Number.isFinite(iv.lo) && Number.isFinite(iv.hi) ? html` <span class="ci">(${fmt(iv.lo)}–${fmt(iv.hi)})</span>` : '';
  return html`${fmt(iv.value)}${ci}`;
}

/** A table; cells are escaped text or Html. */
export function table(head: unknown[], rows: unknown[][], className = ''): Html {
  return html`<table class="${className}"><thead><tr>${head.map((h) => html`<th>${h}</th>`)}</tr></thead><tbody>${rows.map(
    (r) => html`<tr>${r.map((c) => html`<td>${c}</td>`)}</tr>`,
  )}</tbody></table>`;
}

export function missingNote(text: string): Html {
  return html`<p class="missing">${text}</p>`;
}

/**
 * A standalone Vega SVG made fit to sit inline among others: the XML namespace declarations go
 * (the HTML parser puts <svg> in the SVG namespace itself, and the page must hold no http
 * references), and ids (clip paths, gradients) get a per-plot prefix so two charts never share one.
 */
export function inlineSvg(svg: string, prefix: string): Html {
  const p = prefix.replace(/[^A-Za-z0-9_-]/g, '_');
  const out = svg
    .replace(/^<\?xml[^>]*>\s*/, '')
    .replace(/\s+xmlns(:\w+)?="[^"]*"/g, '')
    .replace(/\bid="([^"]+)"/g, `id="${p}-$1"`)
    .replace(/url\(#([^)]+)\)/g, `url(#${p}-$1)`)
    .replace(/href="#([^"]+)"/g, `href="#${p}-$1"`);
  return new Html(out);
}

const CSS = `
:root { --fg: #1d1d1f; --muted: #666; --line: #ddd; --bg-alt: #f6f7f9; --accent: #d95f02; --warn: #8a5a00; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 "DejaVu Sans", system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; color: var(--fg); background: #fff; }
main { max-width: 1180px; margin: 0 auto; padding: 24px 28px 64px; }
h1 { font-size: 26px; margin: 0 0 4px; }
h2 { font-size: 20px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 20px 0 8px; }
nav { font-size: 13px; margin: 8px 0 0; }
nav a { color: var(--muted); margin-right: 12px; text-decoration: none; white-space: nowrap; display: inline-block; }
nav a:hover { text-decoration: underline; }
.subtitle { color: var(--muted); margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; margin: 8px 0 12px; font-size: 14px; }
th, td { border: 1px solid var(--line); padding: 5px 10px; text-align: left; vertical-align: top; }
th { background: var(--bg-alt); font-weight: 600; }
table.numbers td:not(:first-child) { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.metrics td:last-child { text-align: left; }
.ci { color: var(--muted); font-size: 13px; }
.na { color: var(--muted); }
.missing { color: var(--warn); background: #fff8e6; border-left: 3px solid #f0b429; padding: 6px 10px; margin: 8px 0; }
.note { color: var(--muted); font-size: 13px; }
details { margin: 8px 0; }
summary { cursor: pointer; font-weight: 600; }
pre { background: var(--bg-alt); border: 1px solid var(--line); padding: 10px 12px; overflow: auto; max-height: 480px; font-size: 12.5px; }
/* Two charts a row on a wide screen, one on a narrow one; each scales down with its viewBox. */
.plots { display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 16px; align-items: start; }
figure { margin: 0; }
.plots svg { width: 100%; max-width: 640px; height: auto; display: block; border: 1px solid var(--line); }
.gallery { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: 14px; }
.gallery figure { border: 1px solid var(--line); padding: 6px; background: var(--bg-alt); }
.gallery img { width: 100%; height: auto; display: block; image-rendering: auto; }
.gallery figcaption { font-size: 12px; margin-top: 4px; overflow-wrap: anywhere; }
dl.summary { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; margin: 8px 0; }
dl.summary dt { color: var(--muted); }
dl.summary dd { margin: 0; }
ul.skipped { font-size: 13px; max-height: 320px; overflow: auto; }
`;

/** The whole page: one file, inline CSS, no scripts, no external requests. */
export function page(title: string, body: Html): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${body.markup}
</main>
</body>
</html>
`;
}
