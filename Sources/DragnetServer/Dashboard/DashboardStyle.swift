/// The dashboard's one style sheet, inline in every page (nothing is loaded from elsewhere). Plain system fonts that
/// carry Vietnamese; colours that keep their meaning in grey (met / not met also say so in words).
enum DashboardStyle {
    static let css = """
        :root{--ink:#1d2430;--muted:#5b6575;--line:#d7dce3;--met:#1f7a3d;--notmet:#b3261e;--accent:#14407a;--pale:#9aa7b8}
        *{box-sizing:border-box}body{margin:0;font:15px/1.45 system-ui,"Noto Sans","DejaVu Sans",Arial,sans-serif;color:var(--ink);background:#f5f6f8}
        .top{display:flex;justify-content:space-between;align-items:center;padding:.5rem 1rem;background:var(--accent);color:#fff}
        .top a,.top button{color:#fff;background:none;border:1px solid rgba(255,255,255,.6);border-radius:4px;padding:.2rem .6rem;font:inherit;text-decoration:none;cursor:pointer}
        .top nav{display:flex;gap:.5rem;align-items:center}.top form{margin:0}.brand{font-weight:700;letter-spacing:.05em}
        main{max-width:1180px;margin:0 auto;padding:1rem}h1{font-size:1.4rem;margin:.3rem 0}h2{font-size:1.1rem;margin:.2rem 0 .5rem}
        section{background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem;margin:1rem 0;overflow-x:auto}
        .scope,.period,.note{margin:.2rem 0;color:var(--muted)}.note{color:var(--notmet)}
        .period-form input{max-width:9rem}.period-form input[name=as_of]{max-width:14rem}.period-form .hint{font-size:.8rem;color:var(--muted)}.period-form{display:flex;flex-wrap:wrap;gap:.4rem .8rem;align-items:end;margin:.6rem 0}.period-form label{display:flex;flex-direction:column;font-size:.8rem;color:var(--muted)}
        input,button{font:inherit;padding:.25rem .4rem}button{cursor:pointer}
        .cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(300px,1fr));gap:1rem;background:none;border:0;padding:0}
        .card{background:#fff;border:1px solid var(--line);border-top:5px solid var(--pale);border-radius:6px;padding:1rem}
        .card.met{border-top-color:var(--met)}.card.not-met{border-top-color:var(--notmet)}
        .card h2{font-size:1rem;min-height:3em}.rate{font-size:2.4rem;font-weight:700;margin:.2rem 0}
        .badge{display:inline-block;padding:0 .4rem;border-radius:3px;font-size:.85rem;color:#fff;background:var(--pale)}
        .badge.met{background:var(--met)}.badge.not-met{background:var(--notmet)}
        .last{color:var(--muted)}.who{color:var(--muted);font-size:.9rem}
        table{border-collapse:collapse;width:100%;margin:.5rem 0;font-variant-numeric:tabular-nums}
        th,td{border-bottom:1px solid var(--line);padding:.25rem .4rem;text-align:right}td{white-space:nowrap}th[scope=row],thead th:first-child{text-align:left}
        caption{text-align:left;color:var(--muted);font-size:.85rem}
        td.met{color:var(--met)}td.not-met{color:var(--notmet);font-weight:600}td.ratio{color:var(--muted)}
        .breakdown{font-size:.9rem}
        .supervision table{max-width:760px}.supervision th[scope=row]{font-weight:normal}.sub{font-weight:normal;font-size:.8rem;color:var(--muted)}
        .charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(330px,1fr));gap:1rem}
        figure{margin:0;border:1px solid var(--line);border-radius:6px;padding:.5rem;overflow-x:auto}
        figcaption{font-size:.85rem;color:var(--muted)}summary{cursor:pointer;color:var(--accent);font-size:.85rem;margin-top:.3rem}
        svg.chart{width:100%;height:auto;display:block}.cohort figure{max-width:760px}svg.step{max-width:720px}
        svg .grid{stroke:#e6e9ee}svg .axis{font-size:13px;fill:var(--muted)}svg .value{font-size:13px;fill:var(--ink)}
        svg .target{stroke:var(--notmet);stroke-dasharray:5 4;stroke-width:1.5}svg .target-label{font-size:13px;fill:var(--notmet);paint-order:stroke;stroke:#fff;stroke-width:4px;stroke-linejoin:round}
        svg .series{fill:none;stroke-width:2.5}svg .series.this{stroke:var(--accent)}svg .series.last{stroke:var(--pale);stroke-dasharray:2 3}
        svg .dot.this{fill:var(--accent)}svg .dot.last{fill:var(--pale)}
        svg .bar.met{fill:var(--met)}svg .bar.not-met{fill:var(--notmet)}svg .bar.none{fill:var(--pale)}
        svg .band{fill:var(--accent);opacity:.15}
        .key::before{content:"";display:inline-block;width:1.2em;height:.25em;margin:0 .3em .2em .6em;vertical-align:middle;background:var(--accent)}
        .key.last::before{background:var(--pale)}.key.target::before{background:var(--notmet)}
        .signin{max-width:480px}.signin form{display:flex;flex-direction:column;gap:.5rem;background:#fff;border:1px solid var(--line);border-radius:6px;padding:1rem}
        .alert{background:#fdecea;border:1px solid #f3b8b2;color:#7a1c15;padding:.5rem .7rem;border-radius:4px}
        .filters a{display:inline-block;margin:.1rem .2rem .1rem 0;padding:.1rem .5rem;border:1px solid var(--line);border-radius:12px;text-decoration:none}
        .filters a[aria-current]{background:var(--accent);color:#fff}
        .cases td,.cases th{text-align:left}.scroll{overflow-x:auto}
        @media (max-width:600px){main{padding:.5rem}.rate{font-size:2rem}.card h2{min-height:0}th,td{padding:.2rem}th[scope=row]{min-width:7.5em}}
        """
}
