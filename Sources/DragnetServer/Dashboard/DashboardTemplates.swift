import DragnetCore
import Mustache

/// The dashboard's pages as Mustache templates (hummingbird-project/swift-mustache), compiled once. `{{…}}` escapes
/// for HTML; only the charts, which the chart types write and escape themselves, go in unescaped (`{{{svg}}}`).
/// Kept in the binary, not in files beside it, so that `dragnet` runs wherever it is copied.
enum DashboardTemplates {
    static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in [
            ("layout", layout), ("signin", signIn), ("dashboard", dashboard), ("cases", cases), ("due", due),
            ("error", error),
        ] {
            // The templates are fixed text, tested: a parse error is a programming error.
            do { try library.register(text, named: name) } catch { fatalError("dashboard template \(name): \(error)") }
        }
        return library
    }()

    /// Renders page `name` with `context` inside the layout, with every phrase under `t.`.
    static func render(_ name: String, _ context: [String: Any], language: Language, signedIn: Bool) -> String {
        var words: [String: String] = [:]
        for phrase in Phrase.allCases { words[phrase.rawValue] = phrase.text(language) }
        var context = context
        context["t"] = words
        context["lang"] = language.rawValue
        let content = library.render(context, withTemplate: name) ?? ""
        let page: [String: Any] = [
            "t": words, "lang": language.rawValue, "content": content, "signedIn": signedIn,
            "title": (context["title"] as? String) ?? Phrase.dashboardTitle.text(language),
            "otherLanguageHref": context["otherLanguageHref"] ?? (language == .vi ? "?lang=en" : "?lang=vi"),
            "otherLanguage": language == .vi ? "en" : "vi",
        ]
        return library.render(page, withTemplate: "layout") ?? ""
    }

    static let layout = """
        <!doctype html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <link rel="icon" href="data:,">
        <title>{{title}} — Dragnet</title>
        <style>\(DashboardStyle.css)</style>
        </head>
        <body>
        <header class="top">
          <span class="brand">Dragnet</span>
          <nav>
            <a href="{{otherLanguageHref}}" hreflang="{{otherLanguage}}" lang="{{otherLanguage}}">{{t.languageSwitch}}</a>
            {{#signedIn}}<form method="post" action="/session/end"><button type="submit">{{t.signOut}}</button></form>{{/signedIn}}
          </nav>
        </header>
        {{{content}}}
        </body>
        </html>
        """

    static let signIn = """
        <main class="signin">
          <h1>{{t.dashboardTitle}}</h1>
          <p>{{t.signInLead}}</p>
          {{#message}}<p class="alert" role="alert">{{message}}</p>{{/message}}
          <form method="post" action="/session">
            <label for="token">{{t.tokenLabel}}</label>
            <input id="token" name="token" type="password" autocomplete="off" required>
            <input type="hidden" name="lang" value="{{lang}}">
            <button type="submit">{{t.signInButton}}</button>
          </form>
        </main>
        """

    static let error = """
        <main class="error">
          <h1>{{title}}</h1>
          <p class="alert" role="alert">{{message}}</p>
          <p><a href="{{backHref}}">{{back}}</a></p>
        </main>
        """

    static let periodForm = """
          <form class="period-form" method="get" action="{{formAction}}">
            <input type="hidden" name="unit" value="{{scope}}">
            {{#en}}<input type="hidden" name="lang" value="en">{{/en}}
            <label>{{t.yearLabel}} <input name="year" value="{{q_year}}" size="4" inputmode="numeric" placeholder="2020"></label>
            <label>{{t.quarterLabel}} <input name="quarter" value="{{q_quarter}}" size="6" placeholder="2020Q3"></label>
            <label>{{t.monthLabel}} <input name="month" value="{{q_month}}" size="7" placeholder="2020-07"></label>
            <label>{{t.fromLabel}} <input name="from" value="{{q_from}}" size="10" placeholder="2020-01-01"></label>
            <label>{{t.toLabel}} <input name="to" value="{{q_to}}" size="10" placeholder="2020-12-31"></label>
            <label>{{t.asOfLabel}} <input name="as_of" value="{{q_as_of}}" size="20" placeholder="2021-01-15T08:00:00Z"></label>
            <button type="submit">{{t.showPeriod}}</button>
            <span class="hint">{{t.periodHint}}</span>
          </form>
        """

    static let dashboard = """
        <main class="dashboard" data-scope="{{scope}}">
          <div class="heading">
            <h1>{{t.dashboardTitle}}</h1>
            <p class="scope">{{scopeLabel}}: <strong>{{scopeName}}</strong>{{#upHref}} · <a href="{{upHref}}" data-up>{{t.upOneLevel}}</a>{{/upHref}}</p>
            <p class="period">{{periodText}} · {{knownText}}</p>
            {{#inProgress}}<p class="note">{{t.periodInProgress}}</p>{{/inProgress}}
        \(periodForm)
          </div>
          <section class="cards" aria-label="{{t.dashboardTitle}}">
            {{#cards}}
            <article class="card {{metClass}}" data-figure="{{key}}" data-rate="{{rateData}}" data-numerator="{{numerator}}" data-denominator="{{denominator}}">
              <h2>{{title}}</h2>
              <p class="rate">{{rateText}}</p>
              <p class="ratio"><a href="{{numeratorHref}}" data-list="{{list}}">{{ratioText}}</a></p>
              <p class="target">{{targetText}} <span class="badge {{metClass}}">{{metText}}</span></p>
              <p class="last">{{lastLabel}} ({{lastPeriod}}): <strong>{{lastRateText}}</strong> — {{lastRatioText}}</p>
              <table class="breakdown">
                {{#breakdown}}<tr><th scope="row">{{label}}</th><td><a href="{{href}}" data-list="{{list}}">{{value}}</a></td></tr>{{/breakdown}}
              </table>
              <p class="who">{{who}}</p>
            </article>
            {{/cards}}
          </section>
          <section class="types">
            <h2>{{t.reoffendingShort}} — {{t.byType}}</h2>
            <table data-table="by-type">
              <thead><tr><th scope="col">{{t.typeColumn}}</th><th scope="col">{{t.population}}</th><th scope="col">{{t.reoffended}}</th><th scope="col">{{t.rate}}</th></tr></thead>
              <tbody>{{#byType}}<tr><th scope="row">{{name}}</th><td>{{population}}</td><td>{{reoffended}}</td><td>{{rate}}</td></tr>{{/byType}}</tbody>
            </table>
            <p><a href="{{unitsCSV}}" data-csv="by-type" download>{{t.downloadCSV}}</a></p>
          </section>
          {{#supervision}}
          <section class="supervision" data-supervision-on="{{on}}">
            <h2>{{t.supervisionTitle}}</h2>
            <p class="period">{{onText}}</p>
            <table data-table="supervision">
              <thead><tr><th scope="col"></th><th scope="col">{{t.persons}}</th><th scope="col">{{t.share}}</th><th scope="col">{{t.sameTimeLastYear}}<br><span class="sub">{{lastHead}}</span></th></tr></thead>
              <tbody>{{#rows}}<tr data-supervision="{{key}}" data-count="{{countData}}" data-share="{{shareData}}"><th scope="row">{{label}}</th><td>{{count}}</td><td>{{share}}</td><td class="ratio">{{last}}</td></tr>{{/rows}}</tbody>
            </table>
            <p class="who">{{who}}</p>
            <p><a href="{{dueHref}}" data-link="due">{{t.dueLink}}</a> · <a href="{{unitsCSV}}" data-csv="supervision" download>{{t.downloadCSV}}</a></p>
          </section>
          {{/supervision}}
          <section class="progress">
            <h2>{{t.progressTitle}}</h2>
            <p class="who">{{whoProgress}}</p>
            <div class="charts">
            {{#progress}}
            <figure data-chart="progress-{{key}}">
              {{{svg}}}
              <figcaption>{{title}} — <span class="key this">{{t.thisYear}}</span> <span class="key last">{{t.lastYear}}</span> <span class="key target">{{t.targetLine}}</span></figcaption>
              <details><summary>{{t.tableOfChart}}</summary>
              <table data-table="progress-{{key}}">
                <thead><tr><th scope="col">{{t.monthColumn}}</th><th scope="col">{{t.thisYear}}</th><th scope="col"></th><th scope="col">{{t.lastYear}}</th><th scope="col"></th></tr></thead>
                <tbody>{{#rows}}<tr><th scope="row">{{month}}</th><td>{{rate}}</td><td>{{ratio}}</td><td>{{lastRate}}</td><td>{{lastRatio}}</td></tr>{{/rows}}</tbody>
              </table></details>
            </figure>
            {{/progress}}
            </div>
            <p><a href="{{progressCSV}}" data-csv="progress" download>{{t.downloadCSV}}</a></p>
          </section>
          <section class="units">
            <h2>{{unitsTitle}}</h2>
            <p class="who">{{whoUnits}}</p>
            {{#hasUnits}}
            <table data-table="units">
              <thead><tr><th scope="col">{{t.unitColumn}}</th><th scope="col" colspan="2">{{t.existingShort}}</th><th scope="col" colspan="2">{{t.newShort}}</th><th scope="col" colspan="2">{{t.reoffendingShort}}</th></tr></thead>
              <tbody>
              {{#unitRows}}<tr data-unit="{{unit}}"><th scope="row">{{#href}}<a href="{{href}}">{{name}}</a>{{/href}}{{^href}}{{name}}{{/href}}</th>{{#cells}}<td class="{{metClass}}" title="{{metText}}">{{rate}}</td><td class="ratio">{{ratio}}</td>{{/cells}}</tr>{{/unitRows}}
              </tbody>
            </table>
            <p><a href="{{unitsCSV}}" data-csv="units" download>{{t.downloadCSV}}</a></p>
            <div class="charts">
            {{#unitCharts}}
            <figure data-chart="units-{{key}}">
              {{{svg}}}
              <figcaption>{{t.rankedBy}}: {{title}}</figcaption>
              <details><summary>{{t.tableOfChart}}</summary>
              <table data-table="units-{{key}}">
                <thead><tr><th scope="col">#</th><th scope="col">{{t.unitColumn}}</th><th scope="col">{{t.rate}}</th><th scope="col"></th><th scope="col">{{t.target}}</th><th scope="col">{{t.result}}</th></tr></thead>
                <tbody>{{#rows}}<tr><td>{{rank}}</td><th scope="row">{{#href}}<a href="{{href}}">{{unit}}</a>{{/href}}{{^href}}{{unit}}{{/href}}</th><td>{{rate}}</td><td>{{ratio}}</td><td>{{target}}</td><td>{{metText}}</td></tr>{{/rows}}</tbody>
              </table></details>
            </figure>
            {{/unitCharts}}
            </div>
            {{/hasUnits}}
            {{^hasUnits}}<p>{{t.noCases}}</p>{{/hasUnits}}
          </section>
          <section class="cohort">
            <h2>{{t.cohortTitle}}</h2>
            <p class="who">{{whoCohort}}</p>
            {{#cohort}}
            <figure data-chart="cohort">
              {{{svg}}}
              <figcaption>{{t.cohortDesc}} {{t.cohortSize}}: {{size}}.</figcaption>
              <details><summary>{{t.tableOfChart}}</summary>
              <table data-table="cohort-curve">
                <thead><tr><th scope="col">{{t.curveDay}}</th><th scope="col">{{t.atRisk}}</th><th scope="col">{{t.shareReoffended}}</th><th scope="col">{{t.lowerBound}}</th><th scope="col">{{t.upperBound}}</th></tr></thead>
                <tbody>{{#points}}<tr><td>{{day}}</td><td>{{atRisk}}</td><td>{{share}}</td><td>{{lower}}</td><td>{{upper}}</td></tr>{{/points}}</tbody>
              </table></details>
            </figure>
            <table data-table="cohort-horizons">
              <thead><tr><th scope="col">{{t.typeColumn}}</th><th scope="col">{{t.cohortSize}}</th>{{#horizonHeads}}<th scope="col" colspan="2">{{.}}</th>{{/horizonHeads}}</tr></thead>
              <tbody>{{#rows}}<tr><th scope="row">{{name}}</th><td>{{size}}</td>{{#horizons}}<td>{{rate}}</td><td class="ratio">{{ratio}}</td>{{/horizons}}</tr>{{/rows}}</tbody>
            </table>
            {{/cohort}}
            <p><a href="{{cohortCSV}}" data-csv="cohort" download>{{t.downloadCSV}}</a> ({{t.cohortCurveCSV}}) ·
              <a href="{{cohortSharesCSV}}" data-csv="cohort-shares" download>{{t.downloadCSV}}</a> ({{t.cohortSharesCSV}})</p>
          </section>
        </main>
        """

    static let cases = """
        <main class="cases" data-scope="{{scope}}">
          <p><a href="{{backHref}}">{{t.backToDashboard}}</a></p>
          <h1>{{listTitle}}</h1>
          <p class="scope">{{scopeLabel}}: <strong>{{scopeName}}</strong> · {{periodText}} · {{knownText}}</p>
          <p class="who">{{who}}</p>
          <nav class="filters" aria-label="{{t.outcomeLabel}}">{{#filters}}<a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a> {{/filters}}</nav>
          <p>{{rangeText}} · <a href="{{csvHref}}" data-csv="cases" download>{{t.downloadCSV}}</a></p>
          {{#hasRows}}
          <div class="scroll">
          <table data-table="cases" data-count="{{total}}">
            <thead><tr>{{#heads}}<th scope="col">{{.}}</th>{{/heads}}</tr></thead>
            <tbody>{{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>{{/rows}}</tbody>
          </table>
          </div>
          {{/hasRows}}
          {{^hasRows}}<table data-table="cases" data-count="{{total}}"><tbody></tbody></table><p>{{t.noCases}}</p>{{/hasRows}}
          <nav class="pages">{{#previousHref}}<a href="{{previousHref}}" rel="prev">{{t.previousPage}}</a> {{/previousHref}}{{#nextHref}}<a href="{{nextHref}}" rel="next">{{t.nextPage}}</a>{{/nextHref}}</nav>
        </main>
        """

    static let due = """
        <main class="due" data-scope="{{scope}}" data-on="{{on}}">
          <p><a href="{{backHref}}">{{t.backToDashboard}}</a></p>
          <h1>{{title}}</h1>
          <p class="scope">{{lead}}</p>
          <ul class="due-counts">{{#counts}}<li data-due-count="{{kind}}">{{label}}: <strong>{{count}}</strong></li>{{/counts}}</ul>
          <p>{{shown}} <a href="{{csvHref}}" data-csv="due" download>{{t.downloadCSV}}</a></p>
          {{#hasRows}}
          <div class="scroll">
          <table data-table="due" data-count="{{total}}">
            <thead><tr><th scope="col">{{t.caseColumn}}</th><th scope="col">{{t.nameColumn}}</th><th scope="col">{{t.dueKind}}</th><th scope="col">{{t.dueSince}}</th><th scope="col">{{t.dueDays}}</th><th scope="col">{{t.responsibleColumn}}</th></tr></thead>
            <tbody>{{#rows}}<tr data-due="{{kind}}"><td>{{case}}</td><td>{{person}}</td><td>{{kindText}}</td><td>{{since}}</td><td>{{days}}</td><td>{{unit}}</td></tr>{{/rows}}</tbody>
          </table>
          </div>
          {{/hasRows}}
          {{^hasRows}}<table data-table="due" data-count="0"><tbody></tbody></table><p>{{t.dueNone}}</p>{{/hasRows}}
        </main>
        """
}
