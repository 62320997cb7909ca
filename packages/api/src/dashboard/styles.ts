/** The dashboard's stylesheet, served as a file so that the CSP can forbid inline styles. */
export const STYLES = `
:root { --ink: #1d2329; --muted: #5b6670; --line: #d9dee3; --accent: #8c1c13; --ok: #1f7a5a; --bad: #b3261e; --bg: #f6f7f8; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans CJK SC", "Noto Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: var(--bg); }
a { color: #0b57a4; }
code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 12px; }
.top { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 20px; padding: 10px 20px; background: #fff; border-bottom: 3px solid var(--accent); }
.brand { font-weight: 700; color: var(--accent); text-decoration: none; }
.book { font-weight: 600; }
.top nav { display: flex; gap: 4px; }
.top nav a { padding: 4px 10px; border-radius: 4px; text-decoration: none; }
.top nav a[aria-current=page] { background: var(--accent); color: #fff; }
.tools { margin-left: auto; display: flex; align-items: center; gap: 10px; color: var(--muted); }
button, .button { font: inherit; padding: 5px 12px; border: 1px solid #0b57a4; border-radius: 4px; background: #0b57a4; color: #fff; cursor: pointer; text-decoration: none; display: inline-block; }
.tools button, .button.secondary { background: #fff; color: #0b57a4; }
.readonly { margin: 0; padding: 4px 20px; background: #fff8e1; color: #6d5200; font-size: 12px; }
main { padding: 16px 20px 40px; max-width: 1280px; }
h1 { font-size: 22px; margin: 8px 0; }
h1 small { color: var(--muted); font-weight: 400; font-size: 14px; }
h2 { font-size: 17px; margin: 28px 0 8px; }
.meta { color: var(--muted); margin: 4px 0 12px; }
.years a { margin: 0 4px; }
.years a[aria-current=page] { font-weight: 700; color: var(--ink); text-decoration: none; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(190px, 1fr)); gap: 12px; margin: 12px 0; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 14px; }
.card .label { color: var(--muted); font-size: 12px; }
.card .value { font-size: 20px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card .note { color: var(--muted); font-size: 12px; }
.chart { background: #fff; border: 1px solid var(--line); border-radius: 6px; max-width: 900px; display: block; }
.scroll { overflow-x: auto; }
table { border-collapse: collapse; background: #fff; min-width: 60%; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #eef1f4; font-weight: 600; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.strong { font-weight: 600; }
.negative { color: var(--bad); }
tr.undone td { color: var(--muted); text-decoration: line-through; text-decoration-color: #b3261e80; }
tr.undone td:nth-last-child(-n+2) { text-decoration: none; }
tr.overdue td { background: #fdecea; }
.tag { font-size: 11px; padding: 0 6px; border-radius: 8px; background: #e8eef6; color: #35506b; white-space: nowrap; }
.tag.warn, .warn { background: #fdecea; color: var(--bad); }
progress { width: 110px; vertical-align: middle; }
.execution { white-space: nowrap; }
dl.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(170px, 1fr)); gap: 8px; }
dl.figures > div, dl.record > div { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
dl.record { display: grid; gap: 4px; }
dl.record > div { display: grid; grid-template-columns: 180px 1fr; }
dt { color: var(--muted); font-size: 12px; }
dd { margin: 0; font-variant-numeric: tabular-nums; }
.hash-full { word-break: break-all; }
form.filters { display: flex; flex-wrap: wrap; gap: 8px 14px; align-items: end; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 10px 12px; margin: 8px 0; }
form.filters label { display: flex; flex-direction: column; font-size: 12px; color: var(--muted); }
input, select, textarea { font: inherit; padding: 4px 6px; border: 1px solid #b8c1ca; border-radius: 4px; background: #fff; color: var(--ink); }
.pager { display: flex; gap: 10px; margin: 12px 0; }
.totals { display: flex; flex-wrap: wrap; gap: 4px 18px; align-items: baseline; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 8px 12px; margin: 8px 0; }
.totals strong { font-variant-numeric: tabular-nums; }
.totals small { color: var(--muted); flex-basis: 100%; }
.account { color: var(--muted); }
.list-tools { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; }
.downloads { display: flex; flex-wrap: wrap; gap: 6px; margin: 4px 0 8px; }
.list-tools .downloads { margin: 0; }
.downloads button { padding: 2px 10px; font-size: 13px; }
.downloads button:disabled { opacity: .6; cursor: progress; }
.sign-in { max-width: 680px; }
.sign-in form { display: flex; flex-direction: column; gap: 8px; align-items: flex-start; }
.sign-in textarea { width: 100%; font-family: ui-monospace, Menlo, Consolas, monospace; font-size: 12px; }
.problem { background: #fdecea; color: var(--bad); border: 1px solid #f3b8b3; border-radius: 6px; padding: 8px 12px; }
.loading { color: var(--muted); padding: 20px; }
.verdict { border-radius: 6px; padding: 4px 14px 12px; margin: 12px 0; border: 2px solid; }
.verdict.ok { border-color: var(--ok); background: #e8f5ee; }
.verdict.broken { border-color: var(--bad); background: #fdecea; }
.verdict .sentence { font-size: 20px; font-weight: 700; margin: 8px 0; }
.verdict.ok .sentence { color: var(--ok); }
.verdict.broken .sentence { color: var(--bad); }
details.chart-data { margin: 8px 0; }
@media print { .top nav, .tools, .pager, form.filters, .downloads, .list-tools { display: none; } body { background: #fff; } }
`;
