/** The report's stylesheet, inlined: the page loads nothing, not even a font. */
export const reportCss = `
:root {
  color-scheme: light;
  --bg: #f5f4f0;
  --card: #ffffff;
  --ink: #1d2330;
  --muted: #5d6675;
  --faint: #8b93a1;
  --line: #e3e0d7;
  --accent: #2f5bd3;
  --alert: #b3261e;
  --alert-bg: #fbe4e1;
  --warning: #8a5a00;
  --warning-bg: #fbefd2;
  --healthy: #2b6e46;
  --healthy-bg: #e1f0e4;
  --mono: ui-monospace, "SFMono-Regular", "Cascadia Mono", Menlo, Consolas, "DejaVu Sans Mono", monospace;
  --sans: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Liberation Sans", "DejaVu Sans", sans-serif;
}
* { box-sizing: border-box; }
html { background: var(--bg); }
body {
  margin: 0 auto;
  max-width: 1480px;
  padding: 28px 28px 48px;
  color: var(--ink);
  font: 14px/1.45 var(--sans);
  -webkit-font-smoothing: antialiased;
}
code, .mono { font-family: var(--mono); font-size: 0.92em; }
h1, h2, h3 { margin: 0; line-height: 1.2; }
button { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 16px; top: 12px; background: var(--card); padding: 6px 10px; border-radius: 6px; z-index: 10; }

header.top { display: flex; flex-wrap: wrap; align-items: flex-end; gap: 16px 40px; margin-bottom: 22px; }
.title { flex: 1 1 380px; min-width: 0; }
.eyebrow { margin: 0 0 4px; color: var(--muted); font-size: 12px; font-weight: 600; letter-spacing: 0.08em; text-transform: uppercase; }
h1 { font-size: 28px; font-weight: 700; letter-spacing: -0.01em; overflow-wrap: anywhere; }
.meta { margin: 6px 0 0; color: var(--muted); }
.meta code { color: var(--ink); background: #ebe8df; padding: 1px 6px; border-radius: 4px; }
.kpis { display: flex; flex-wrap: wrap; gap: 10px; margin: 0; }
.kpi { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 10px 14px; min-width: 112px; }
.kpi dt { color: var(--muted); font-size: 12px; }
.kpi dd { margin: 2px 0 0; font-size: 22px; font-weight: 650; font-variant-numeric: tabular-nums; }
.kpi dd small { font-size: 13px; font-weight: 500; color: var(--muted); }
.kpi .badge { font-size: 20px; padding: 0 10px; margin-top: 1px; }
.kpi.top dd { font-size: 15px; font-family: var(--mono); max-width: 240px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; padding-top: 5px; }

.card { background: var(--card); border: 1px solid var(--line); border-radius: 14px; padding: 18px 20px 20px; margin-bottom: 22px; box-shadow: 0 1px 2px rgba(29, 35, 48, 0.04); }
.card-head { display: flex; flex-wrap: wrap; align-items: center; gap: 10px 24px; margin-bottom: 14px; }
.card-head h2 { font-size: 17px; }
.card-head .note { color: var(--muted); margin: 0; }
.spacer { flex: 1; }

.toggle { display: inline-flex; border: 1px solid var(--line); border-radius: 999px; padding: 3px; margin: 0; background: #f3f1ea; }
.toggle legend { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
.toggle label { position: relative; padding: 4px 12px; border-radius: 999px; cursor: pointer; color: var(--muted); font-weight: 550; }
.toggle input { position: absolute; opacity: 0; inset: 0; margin: 0; cursor: pointer; }
.toggle label:has(input:checked) { background: var(--card); color: var(--ink); box-shadow: 0 1px 3px rgba(29, 35, 48, 0.15); }
.toggle label:has(input:focus-visible) { outline: 2px solid var(--accent); outline-offset: 1px; }
.legend { display: grid; grid-template-columns: auto 200px; align-items: center; gap: 2px 10px; font-size: 12px; color: var(--muted); }
.legend .ramp { grid-column: 2; height: 10px; border-radius: 5px; border: 1px solid rgba(29, 35, 48, 0.12); }
.legend .ticks { grid-column: 2; display: flex; justify-content: space-between; font-variant-numeric: tabular-nums; }
.legend .name { grid-row: 1 / span 2; text-align: right; line-height: 1.25; }
[data-colour="score"] .legend.health, [data-colour="health"] .legend.score { display: none; }

.map-layout { display: grid; grid-template-columns: minmax(0, 1fr) 330px; gap: 18px; align-items: start; }
@media (max-width: 980px) { .map-layout { grid-template-columns: minmax(0, 1fr); } }
.map { margin: 0; position: relative; }
.map svg { display: block; width: 100%; height: auto; border-radius: 8px; background: #ffffff; user-select: none; }
.dir { fill: rgba(36, 48, 72, 0.07); stroke: rgba(36, 48, 72, 0.16); stroke-width: 0.8; }
.dir.d0 { fill: #e9ebf0; stroke: rgba(36, 48, 72, 0.22); stroke-width: 1; }
.f { stroke: #ffffff; stroke-width: 1; cursor: pointer; transition: fill 0.2s ease; }
[data-colour="score"] .f { fill: var(--s); }
[data-colour="health"] .f { fill: var(--h); }
.f:focus { outline: none; }
.labels { pointer-events: none; }
.dl { font-size: 11px; font-weight: 650; fill: #465066; letter-spacing: 0.01em; }
.fl text { font-weight: 600; }
.fl text.sub { font-weight: 450; opacity: 0.78; font-variant-numeric: tabular-nums; }
[data-colour="score"] .fl { fill: var(--st); }
[data-colour="health"] .fl { fill: var(--ht); }
[data-colour="score"] .fl .sub.h, [data-colour="health"] .fl .sub.s { display: none; }
.rings { pointer-events: none; }
.ring { fill: none; vector-effect: non-scaling-stroke; }
.ring.hover { stroke: var(--ink); stroke-width: 1.5; }
.ring.select { stroke: var(--accent); stroke-width: 3; }
.ring.couple { stroke: var(--accent); stroke-width: 2; stroke-dasharray: 5 3; }
.help { margin: 12px 0 0; color: var(--muted); font-size: 13px; }
kbd { font-family: var(--mono); font-size: 11px; border: 1px solid var(--line); border-bottom-width: 2px; border-radius: 4px; padding: 0 4px; background: #faf9f6; }

/* contain: size keeps the panel from growing the row: it fills the map's height and scrolls. */
.panel { align-self: stretch; contain: size; overflow: auto; border: 1px solid var(--line); border-radius: 10px; padding: 14px 16px; background: #fbfaf7; }
@media (max-width: 980px) { .panel { contain: none; max-height: 70vh; } }
.panel h3 { font-size: 15px; }
.panel h4 { margin: 16px 0 6px; font-size: 12px; text-transform: uppercase; letter-spacing: 0.07em; color: var(--muted); }
.panel p { margin: 0 0 8px; }
.panel .lead { color: var(--muted); }
.panel-head { display: flex; gap: 8px; align-items: flex-start; }
.panel-head > div { flex: 1; min-width: 0; }
.path { font-family: var(--mono); font-weight: 500; overflow-wrap: anywhere; }
.path .dirname { color: var(--faint); }
.path .base { color: var(--ink); font-weight: 700; }
.close { border: 0; background: transparent; border-radius: 6px; width: 28px; height: 28px; cursor: pointer; color: var(--muted); font-size: 18px; line-height: 1; }
.close:hover { background: #ebe8df; color: var(--ink); }
.stats { display: grid; grid-template-columns: repeat(3, 1fr); gap: 8px; margin: 12px 0 4px; }
.stat { background: var(--card); border: 1px solid var(--line); border-radius: 8px; padding: 6px 8px; }
.stat > span:first-child { display: block; color: var(--muted); font-size: 11px; }
.stat .badge { margin-top: 2px; font-size: 14px; }
.stat b { font-size: 16px; font-variant-numeric: tabular-nums; }
.smells { list-style: none; margin: 0; padding: 0; }
.smells li { padding: 7px 0; border-top: 1px solid var(--line); }
.smells li:first-child { border-top: 0; }
.smells .where { color: var(--muted); font-family: var(--mono); font-size: 12px; overflow-wrap: anywhere; }
.smells .detail { display: block; font-size: 13px; }
.fns { width: 100%; border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
.fns th { text-align: right; color: var(--muted); font-weight: 600; padding: 2px 4px; }
.fns td { text-align: right; padding: 3px 4px; border-top: 1px solid var(--line); }
.fns th:first-child, .fns td:first-child { text-align: left; padding-left: 0; }
.fns td:first-child { font-family: var(--mono); overflow-wrap: anywhere; }
.fns td .ln { color: var(--faint); white-space: nowrap; }
.fns td.hot { color: var(--alert); font-weight: 700; }
.quick { list-style: none; margin: 0; padding: 0; }
.quick li + li { margin-top: 4px; }

.badge { display: inline-block; min-width: 38px; text-align: center; padding: 1px 7px; border-radius: 999px; font-weight: 650; font-variant-numeric: tabular-nums; font-size: 12.5px; }
.badge.alert { background: var(--alert-bg); color: var(--alert); }
.badge.warning { background: var(--warning-bg); color: var(--warning); }
.badge.healthy { background: var(--healthy-bg); color: var(--healthy); }

.linkish { border: 0; background: none; padding: 0; cursor: pointer; text-align: left; font-family: var(--mono); font-size: 13px; overflow-wrap: anywhere; }
.linkish:hover .base { text-decoration: underline; text-decoration-color: var(--accent); text-underline-offset: 2px; }
.linkish .dirname { color: var(--faint); }
.linkish .base { font-weight: 650; }

.couplings { list-style: none; margin: 0; padding: 0; display: grid; grid-template-columns: repeat(auto-fill, minmax(440px, 1fr)); gap: 6px 28px; }
.pair { display: grid; grid-template-columns: 52px 1fr auto; align-items: center; gap: 10px; width: 100%; border: 0; background: none; padding: 6px 8px; border-radius: 8px; cursor: pointer; text-align: left; }
.pair:hover { background: #f3f1ea; }
.pair[disabled] { cursor: default; }
.pair .deg { font-weight: 700; font-variant-numeric: tabular-nums; }
.pair .deg i { display: block; height: 4px; border-radius: 2px; background: #e8e4da; margin-top: 3px; overflow: hidden; }
.pair .deg i::before { content: ""; display: block; height: 100%; width: var(--w); background: var(--accent); }
.pair .files { font-family: var(--mono); font-size: 12.5px; min-width: 0; overflow-wrap: anywhere; }
.pair .files .with { color: var(--faint); padding: 0 4px; }
.pair .shared { color: var(--muted); font-size: 12px; white-space: nowrap; }
.empty { color: var(--muted); margin: 0; }

.table-wrap { max-height: 78vh; overflow: auto; border: 1px solid var(--line); border-radius: 10px; }
table.files { width: 100%; border-collapse: separate; border-spacing: 0; font-variant-numeric: tabular-nums; }
table.files th { position: sticky; top: 0; z-index: 1; background: #f3f1ea; border-bottom: 1px solid var(--line); padding: 0; text-align: right; white-space: nowrap; }
table.files th button { width: 100%; border: 0; background: none; padding: 9px 10px; font-weight: 650; font-size: 12.5px; color: var(--muted); cursor: pointer; text-align: inherit; }
table.files th button:hover { color: var(--ink); }
table.files th button::after { content: "↕"; margin-left: 5px; opacity: 0.35; }
table.files th[aria-sort="ascending"] button::after { content: "▲"; opacity: 1; color: var(--accent); }
table.files th[aria-sort="descending"] button::after { content: "▼"; opacity: 1; color: var(--accent); }
table.files th[aria-sort] button { color: var(--ink); }
table.files th.text { text-align: left; }
table.files td { padding: 6px 10px; border-bottom: 1px solid #efede6; text-align: right; vertical-align: middle; }
table.files td.text { text-align: left; }
table.files tbody tr:hover { background: #faf8f3; }
table.files tbody tr[aria-current="true"] { background: #eaf0ff; }
table.files .rank { color: var(--faint); width: 1%; }
table.files .smell-list { color: var(--muted); font-size: 12.5px; }
.scorecell { display: inline-flex; align-items: center; gap: 8px; }
.scorebar { width: 64px; height: 6px; border-radius: 3px; background: #efece4; overflow: hidden; }
.scorebar::before { content: ""; display: block; height: 100%; width: var(--w); background: var(--c); }
.churn .add { color: var(--healthy); }
.churn .del { color: var(--alert); }

.tooltip { position: fixed; z-index: 20; max-width: 360px; pointer-events: none; background: #1d2330; color: #f4f2ec; border-radius: 10px; padding: 10px 12px; box-shadow: 0 8px 24px rgba(0, 0, 0, 0.22); font-size: 13px; }
.tooltip .path { color: #f4f2ec; font-size: 12.5px; }
.tooltip .path .dirname { color: #9aa3b2; }
.tooltip .path .base { color: #ffffff; }
.tooltip dl { display: grid; grid-template-columns: repeat(4, auto); gap: 2px 14px; margin: 8px 0 0; }
.tooltip dt { color: #9aa3b2; font-size: 11px; }
.tooltip dd { margin: 0; font-weight: 650; font-variant-numeric: tabular-nums; grid-row: 2; }
.tooltip ul { margin: 8px 0 0; padding: 0; list-style: none; }
.tooltip li { padding-left: 12px; position: relative; color: #e2dfd6; }
.tooltip li::before { content: ""; position: absolute; left: 0; top: 0.6em; width: 6px; height: 6px; border-radius: 50%; background: #ef8c45; }
.tooltip .more, .tooltip .hint { color: #9aa3b2; font-size: 12px; margin-top: 6px; }
.tooltip .none { color: #9fd0ae; margin-top: 8px; }
@media (prefers-reduced-motion: reduce) { .f { transition: none; } }
`;
