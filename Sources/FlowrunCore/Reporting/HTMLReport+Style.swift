extension HTMLReport {
    /// The page's only styles, inline. States share one palette between the
    /// chart's bars (`.bar.s-STATE`) and the tables' pills; light and dark
    /// follow the reader's system setting.
    static let stylesheet = """
        :root { color-scheme: light dark; --fg: #1f2328; --dim: #656d76; --bg: #ffffff; --line: #d0d7de;
          --band: #f6f8fa; --band-odd: #eef1f4; --ok: #2da44e; --bad: #cf222e; --warn: #bf8700; --late: #bc4c00;
          --off: #8c959f; --code: #f6f8fa; }
        @media (prefers-color-scheme: dark) { :root { --fg: #e6edf3; --dim: #8d96a0; --bg: #0d1117; --line: #30363d;
          --band: #161b22; --band-odd: #1c2129; --code: #161b22; } }
        * { box-sizing: border-box; }
        body { margin: 0 auto; max-width: 1200px; padding: 16px 24px 48px; color: var(--fg); background: var(--bg);
          font: 14px/1.45 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; }
        h1 { font-size: 24px; margin: 8px 0 12px; }
        h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
        h3 { font-size: 15px; margin: 18px 0 6px; }
        a { color: inherit; }
        .dim { color: var(--dim); font-weight: normal; }
        .status { font-size: 13px; vertical-align: middle; padding: 2px 10px; border-radius: 12px; color: #fff; }
        .st-succeeded { background: var(--ok); } .st-failed { background: var(--bad); } .st-interrupted { background: var(--late); }
        .facts { display: flex; flex-wrap: wrap; gap: 6px 28px; margin: 0; }
        .facts div { min-width: 90px; } .facts dt { color: var(--dim); font-size: 12px; } .facts dd { margin: 0; font-weight: 600; }
        .failure { margin-top: 14px; border-left: 4px solid var(--bad); padding: 4px 12px; }
        .failure.tolerated { border-color: var(--warn); }
        .failure p { margin: 4px 0; } .note { color: var(--late); }
        pre { margin: 0; padding: 8px 10px; background: var(--code); border-radius: 6px; overflow-x: auto;
          font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-all; }
        code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
        .esc { color: var(--late); background: rgba(191, 135, 0, 0.15); border-radius: 3px; }
        .chart { overflow-x: auto; border: 1px solid var(--line); border-radius: 6px; }
        svg.gantt { display: block; width: 100%; height: auto; min-width: 800px; font-size: 11px; fill: var(--fg); }
        .gantt .band { fill: var(--band); } .gantt .band.odd { fill: var(--band-odd); }
        .gantt .axis line { stroke: var(--line); stroke-width: 1; } .gantt .axis text { fill: var(--dim); text-anchor: middle; }
        .gantt .stage-label { font-weight: 600; } .gantt .dur { fill: var(--dim); font-size: 10px; }
        .gantt .stage-bar { fill: var(--dim); opacity: 0.55; }
        .gantt .step-label { fill: var(--dim); } .bar.step { opacity: 0.85; }
        .gantt .retry-wait { stroke: var(--dim); stroke-width: 1.5; stroke-dasharray: 3 2; }
        .bar { rx: 2; } .bar:hover { opacity: 0.8; }
        .s-succeeded { fill: var(--ok); background: var(--ok); } .s-failed { fill: var(--bad); background: var(--bad); }
        .s-tolerated { fill: var(--warn); background: var(--warn); } .s-timed-out { fill: var(--late); background: var(--late); }
        .s-cancelled { fill: var(--off); background: var(--off); } .s-skipped { fill: transparent; background: transparent; }
        tr.s-succeeded, tr.s-failed, tr.s-tolerated, tr.s-timed-out, tr.s-cancelled, tr.s-skipped { background: none; }
        tr.s-skipped td { color: var(--dim); }
        .legend { color: var(--dim); font-size: 12px; margin: 6px 0; }
        .key, .pill { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 5px 0 10px; vertical-align: -1px; }
        .pill { margin-left: 0; border-radius: 50%; } .pill.s-skipped { border: 1px solid var(--off); }
        .key.wait { height: 0; border-top: 2px dashed var(--dim); width: 14px; vertical-align: 3px; }
        table { border-collapse: collapse; width: 100%; font-size: 13px; table-layout: fixed; }
        th:nth-child(1) { width: 19%; } th:nth-child(2) { width: 17%; } th:nth-child(3), th:nth-child(4) { width: 8%; }
        th:nth-child(5) { width: 7%; } th:nth-child(6) { width: 8%; } th:nth-child(7), th:nth-child(8) { width: 7%; }
        td { overflow-wrap: anywhere; }
        th, td { text-align: left; padding: 4px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
        th { color: var(--dim); font-weight: 600; font-size: 12px; } .num { text-align: right; white-space: nowrap; }
        td.name { font-weight: 600; } td.result { max-width: 420px; overflow-wrap: anywhere; }
        td.name.step { font-weight: normal; padding-left: 22px; } td.name.step::before { content: "↳ "; color: var(--dim); }
        tr:target { outline: 2px solid var(--warn); }
        .out-link { font-weight: normal; font-size: 11px; color: var(--dim); margin-left: 6px; }
        details { margin: 4px 0; } summary { cursor: pointer; }
        #output details { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
        #output details:target { border-color: var(--warn); }
        .stream { margin: 6px 0; } .stream-name { font-size: 11px; font-weight: 600; color: var(--dim); margin-bottom: 2px; }
        .stream.stderr pre { border-left: 3px solid var(--bad); }
        footer { margin-top: 32px; color: var(--dim); font-size: 12px; }

        """
}
