"""`--format html`: one self-contained page a communications team can open from disk.

Inline CSS and JS only, no network requests. Every piece of user text goes through escape().
Sections: totals, summary by severity/channel/category/language, the contradictions across
channels, each document's findings (flagged words marked, suggestion beside), unreadable inputs.
Checkbox filters (id filter-<group>-<value>) hide findings by category, channel and severity.
A finding quotes the sentence as its reader sees it (Finding.excerpt, not the stored line with
its markup, entities or JSON), and its rule id links to the rule's page. Below 640 px the
contradictions table becomes stacked cards, so a phone needs no sideways scrolling.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime
from html import escape

from ..extraction.generated import GENERATOR
from ..model import CATEGORIES, CHANNELS, SEVERITIES, Finding
from ..runner import RunResult
from . import skipped_sentence

SEVERITY_ORDER = tuple(reversed(SEVERITIES))  # error, warning, info
CONTEXT = 120  # characters of a long sentence shown either side of the marked words (a sentence excerpt is at most 240)
RELATED_EXCERPT = 120  # the stages cut a related place's sentence at this length: shown as cut
PLACES_SHOWN = 6  # places per value in the contradictions table before "and N more"
_SPACES = re.compile(r"\s+")  # a line break inside a sentence reads as a space
FLAG = ' <span class="pill flag">flagged</span>'

CSS = """
:root{--bg:#f5f6f8;--card:#fff;--ink:#1d2330;--muted:#5d6677;--line:#e3e6eb;--accent:#2f5bd3;
--error:#c0352b;--error-bg:#fdecea;--warning:#9a5b00;--warning-bg:#fff4db;--info:#2f5bd3;--info-bg:#e8effd;
--ok:#1e7a4c;--ok-bg:#e6f4ec;--mark:#ffe08a}
*{box-sizing:border-box}
[hidden]{display:none!important}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,
"Helvetica Neue",Arial,"Noto Sans","Hiragino Sans","Yu Gothic UI","Meiryo","Noto Sans CJK JP",sans-serif;-webkit-font-smoothing:antialiased}
main{max-width:1180px;margin:0 auto;padding:28px 28px 64px}
h1{font-size:26px;margin:0 0 4px;letter-spacing:-.01em}
h2{font-size:19px;margin:40px 0 12px}
h3{font-size:13px;margin:0 0 10px;text-transform:uppercase;letter-spacing:.06em;color:var(--muted)}
.sub{color:var(--muted);margin:0}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:18px 20px}
.tiles{display:grid;grid-template-columns:repeat(auto-fit,minmax(140px,1fr));gap:12px;margin-top:20px}
.tile{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:14px 16px}
.tile b{display:block;font-size:28px;line-height:1.2;font-variant-numeric:tabular-nums}
.tile span{color:var(--muted);font-size:13px}
.tile.error b{color:var(--error)}.tile.warning b{color:var(--warning)}.tile.info b{color:var(--info)}
.tile.clean b{color:var(--ok)}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(250px,1fr));gap:12px;align-items:start}
.bar{display:grid;grid-template-columns:108px 1fr 36px;gap:10px;align-items:center;font-size:14px;margin:5px 0}
.bar .track{background:#eef0f4;border-radius:4px;height:8px;overflow:hidden}
.bar .fill{background:#8da4e6;height:100%;border-radius:4px}
.bar .fill.error{background:var(--error)}.bar .fill.warning{background:#e0a030}.bar .fill.info{background:#7b9be8}
.bar .n{text-align:right;font-variant-numeric:tabular-nums;color:var(--muted)}
table{width:100%;border-collapse:collapse;font-size:14px}
th,td{text-align:left;vertical-align:top;padding:9px 10px;border-bottom:1px solid var(--line)}
th{font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted);font-weight:600}
tr.fact-start td{border-top:2px solid var(--line)}
tr.odd td.value,tr.odd td.value+td{background:#fff8f7}
td.fact{font-weight:600;width:22%}
td.value{white-space:nowrap;width:20%}
.places{margin:0;padding:0;list-style:none}
.places li{margin:0 0 3px}
.places q{color:var(--muted);font-size:13px}
details summary{cursor:pointer;color:var(--accent);font-size:13px}
.pill{display:inline-block;border-radius:999px;padding:1px 9px;font-size:12px;font-weight:600;white-space:nowrap}
.pill.error{background:var(--error-bg);color:var(--error)}
.pill.warning{background:var(--warning-bg);color:var(--warning)}
.pill.info{background:var(--info-bg);color:var(--info)}
.pill.flag{background:var(--error-bg);color:var(--error);margin-left:6px}
.tag{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 6px;font-size:12px;color:var(--muted);background:#fafbfc}
code{font:13px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.filters{position:sticky;top:0;z-index:2;background:var(--bg);padding:10px 0;box-shadow:0 6px 8px -8px rgba(0,0,0,.15);border-bottom:1px solid var(--line);margin-bottom:16px}
.fgroup{display:flex;align-items:baseline;gap:6px;margin:4px 0}
.fgroup>span{flex:0 0 80px;font-size:12px;text-transform:uppercase;letter-spacing:.05em;color:var(--muted)}
.chips{display:flex;flex-wrap:wrap;gap:6px}
.chip{display:inline-flex;align-items:center;gap:5px;border:1px solid var(--line);background:var(--card);border-radius:999px;
padding:2px 10px 2px 6px;font-size:13px;cursor:pointer;user-select:none}
.chip input{margin:0;accent-color:var(--accent)}
.chip small{color:var(--muted)}
.chip:has(input:not(:checked)){opacity:.5;background:transparent}
.status{display:flex;justify-content:space-between;align-items:center;margin-top:8px;font-size:14px}
button{font:inherit;font-size:13px;border:1px solid var(--line);background:var(--card);border-radius:6px;padding:3px 10px;cursor:pointer}
.doc{background:var(--card);border:1px solid var(--line);border-radius:10px;margin:0 0 14px;overflow:hidden}
.doc>header{display:flex;flex-wrap:wrap;gap:8px;align-items:baseline;padding:12px 18px;background:#fafbfc;border-bottom:1px solid var(--line)}
.doc>header h3{margin:0;font-size:15px;text-transform:none;letter-spacing:0;color:var(--ink);word-break:break-all}
.doc>header .count{margin-left:auto;color:var(--muted);font-size:13px}
.unit>h4{margin:0;padding:8px 18px;font-size:13px;color:var(--muted);font-weight:600;background:#fcfcfd;border-bottom:1px solid var(--line)}
.unit+.unit{border-top:1px solid var(--line)}
.finding{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:6px 24px;padding:14px 18px;border-bottom:1px solid var(--line)}
.finding:last-child{border-bottom:0}
.unit:last-child .finding:last-child{border-bottom:0}
.finding .head{grid-column:1/-1;display:flex;gap:10px;align-items:baseline}
.finding .head>.pill{flex:0 0 74px;text-align:center}
.finding .msg{font-weight:600}
.finding .loc{display:block;font-weight:400;color:var(--muted);font-size:13px}
.rule{color:var(--muted)}
.ctx{margin:2px 0 0;padding:8px 12px;background:#f8f9fb;border-left:3px solid var(--line);border-radius:0 6px 6px 0;
font-size:14px;white-space:pre-wrap;overflow-wrap:anywhere}
.finding.error .ctx{border-left-color:var(--error)}.finding.warning .ctx{border-left-color:#e0a030}.finding.info .ctx{border-left-color:#7b9be8}
mark{background:var(--mark);color:inherit;border-radius:3px;padding:0 2px;-webkit-print-color-adjust:exact;print-color-adjust:exact}
.fix{margin:2px 0 0;padding:8px 12px;background:var(--ok-bg);border-radius:6px;font-size:14px}
.fix b{color:var(--ok);font-size:12px;text-transform:uppercase;letter-spacing:.05em;display:block}
.also{grid-column:1/-1;font-size:13px;color:var(--muted)}
.empty{padding:24px;text-align:center;color:var(--muted)}
.errors li{margin:4px 0}
footer{margin-top:40px;color:var(--muted);font-size:13px}
.rule code{font-size:12px}
a.rule{color:var(--accent);text-decoration:none;border-bottom:1px dotted currentColor}
a.rule:hover{border-bottom-style:solid}
td.fact small{display:block;font-weight:400;margin-top:4px}
.places,.loc .src,.also{overflow-wrap:anywhere}
@media (max-width:760px){.finding{grid-template-columns:1fr}main{padding:16px}}
@media (max-width:640px){
#contradictions thead{display:none}
#contradictions,#contradictions tbody,#contradictions tr,#contradictions td{display:block;width:auto}
#contradictions td{border:0;padding:4px 8px}
#contradictions tr.fact-start{border-top:2px solid var(--line);padding-top:8px}
#contradictions tr.fact-start:first-child{border-top:0}
#contradictions td.fact{font-size:15px;padding-bottom:6px}
#contradictions td.value{white-space:normal;padding-top:8px}
#contradictions tr.contradiction-row{margin:0 0 6px}
#contradictions td:last-child{padding-bottom:10px}
.finding .head>.pill{flex-basis:auto}
.fgroup{flex-direction:column;gap:2px}.fgroup>span{flex:none}
.status{flex-wrap:wrap;gap:6px}
.filters{position:static;box-shadow:none}
}
@media print{body{background:#fff;font-size:12px}.fgroup,button{display:none!important}main{max-width:none;padding:0}
.filters{position:static;box-shadow:none;border:0;padding:0}.tiles{grid-template-columns:repeat(auto-fit,minmax(100px,1fr))}
.grid{grid-template-columns:repeat(2,1fr)}
.card,.doc,.tile{break-inside:avoid;border-color:#ccc}.finding{break-inside:avoid}h2{break-after:avoid}
.pill,.fix,.ctx{-webkit-print-color-adjust:exact;print-color-adjust:exact}}
"""

JS = """
(function(){
  var boxes=[].slice.call(document.querySelectorAll('input[data-filter]'));
  function apply(){
    var off={category:{},channel:{},severity:{}};
    boxes.forEach(function(b){if(!b.checked)off[b.getAttribute('data-filter')][b.value]=1;});
    var total=0,bySev={error:0,warning:0,info:0};
    document.querySelectorAll('.doc').forEach(function(doc){
      var n=0;
      doc.querySelectorAll('.finding').forEach(function(f){
        var d=f.dataset,hide=off.category[d.category]||off.channel[d.channel]||off.severity[d.severity];
        f.hidden=!!hide;
        if(!hide){n++;bySev[d.severity]=(bySev[d.severity]||0)+1;}
      });
      doc.querySelectorAll('.unit').forEach(function(u){u.hidden=!u.querySelector('.finding:not([hidden])');});
      doc.hidden=n===0;
      doc.querySelector('.doc-count').textContent=n;
      total+=n;
    });
    document.getElementById('visible-count').textContent=total;
    Object.keys(bySev).forEach(function(s){var el=document.getElementById('visible-'+s);if(el)el.textContent=bySev[s];});
    document.getElementById('no-match').hidden=total>0;
  }
  boxes.forEach(function(b){b.addEventListener('change',apply);});
  var reset=document.getElementById('filter-reset');
  if(reset)reset.addEventListener('click',function(){boxes.forEach(function(b){b.checked=true;});apply();});
  apply();
})();
"""


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}{'' if count == 1 else 's'}"


def _prefix(paths: list[str]) -> str:
    """The folder (or site) every path shares, so the report can show short paths."""
    if len(paths) < 1:
        return ""
    first, last = min(paths), max(paths)
    common = first[: next((i for i, (a, b) in enumerate(zip(first, last)) if a != b), min(len(first), len(last)))]
    cut = common.rfind("/")
    return common[: cut + 1] if cut > 0 and not common[:cut + 1].endswith("//") else ""


class _Paths:
    def __init__(self, paths: list[str]) -> None:
        self.prefix = _prefix(paths)

    def __call__(self, path: str) -> str:
        short = path[len(self.prefix):] if self.prefix and path.startswith(self.prefix) else path
        return f'<span title="{escape(path)}">{escape(short or path)}</span>'


def _around(text: str, cut_left: bool, cut_right: bool) -> str:
    """A stretch of the sentence, cut at a word where it was trimmed, whitespace as read."""
    if cut_left:
        text = "…" + (text[text.find(" ") + 1:] if " " in text[:20] else text)
    if cut_right:
        text = (text[: text.rfind(" ")] if " " in text[-20:] else text) + "…"
    return escape(_SPACES.sub(" ", text))


def _context(finding: Finding) -> str:
    """The sentence as the reader sees it (no markup, entities decoded, a post's text rather
    than its export's JSON) with the flagged words in <mark>; a long one trimmed around them."""
    text, span = finding.excerpt, finding.excerpt_span
    if not text.strip():
        return ""
    lang = f' lang="{escape(finding.lang)}"' if finding.lang != "und" else ""
    if span is None or not 0 <= span[0] < span[1] <= len(text):
        return f'<div class="ctx"{lang}>{_around(text[:2 * CONTEXT], False, len(text) > 2 * CONTEXT)}</div>'
    start, end = span
    left, right = max(0, start - CONTEXT), min(len(text), end + CONTEXT)
    marked = text[start:end]
    too_long = len(marked) > 2 * CONTEXT  # a paragraph pasted twice is named by its start
    if too_long:
        right = end
    before = _around(text[left:start].lstrip(), left > 0, False)
    after = _around(text[end:right].rstrip(), False, right < len(text.rstrip()))
    return f'<div class="ctx"{lang}>{before}<mark>{_around(marked[: 2 * CONTEXT], False, too_long)}</mark>{after}</div>'


def _flagged_words(finding: Finding) -> str:
    if finding.excerpt_span:
        return finding.excerpt[finding.excerpt_span[0]:finding.excerpt_span[1]].strip()
    return finding.excerpt


def _own_value(finding: Finding) -> str:
    """The value this finding states (as `related` give theirs); else the words as written."""
    return finding.value or _flagged_words(finding)


def _bars(counts: Counter[str], order: tuple[str, ...] = (), css: bool = False) -> str:
    if not counts:
        return '<p class="sub">None</p>'
    names = [n for n in order if counts[n]] + sorted((n for n in counts if n not in order), key=lambda n: (-counts[n], n))
    top = max(counts.values())
    return "".join(
        f'<div class="bar"><span>{escape(name)}</span><span class="track"><span class="fill{" " + escape(name) if css else ""}" '
        f'style="width:{max(2, round(100 * counts[name] / top))}%;display:block"></span></span><span class="n">{counts[name]}</span></div>'
        for name in names
    )


def _contradictions(result: RunResult, short: _Paths) -> str:
    found = [f for f in result.findings if f.category == "contradiction"]
    if not found:
        return '<div class="card empty">No contradictions: every fact is stated the same way wherever it appears.</div>'
    channel_of = {d.path: d.channel for d in result.documents}
    rows = []
    for finding in found:
        own = _own_value(finding)
        groups: dict[str, list[tuple[str, int, str, str, bool]]] = defaultdict(list)
        groups[own].append((finding.path, finding.line, finding.channel, finding.excerpt, True))
        for rel in finding.related:
            groups[rel.value or rel.excerpt].append((rel.path, rel.line, channel_of.get(rel.path, ""), rel.excerpt, False))
        ordered = sorted(groups.items(), key=lambda kv: (-len(kv[1]), kv[0] != own))
        fact = finding.message.partition(":")[0]
        for index, (value, places) in enumerate(ordered):
            items = [
                f'<li>{f"<span class=tag>{escape(ch)}</span> " if ch else ""}{short(path)}:{line}'
                f'{FLAG if mine else ""}'
                f'{f" <q>{_around(excerpt, False, len(excerpt) >= RELATED_EXCERPT)}</q>" if excerpt else ""}</li>'
                for path, line, ch, excerpt, mine in places
            ]
            shown = "".join(items[:PLACES_SHOWN])
            if len(items) > PLACES_SHOWN:
                shown += f'<li><details><summary>and {len(items) - PLACES_SHOWN} more</summary><ul class="places">{"".join(items[PLACES_SHOWN:])}</ul></details></li>'
            channels = sorted({ch for _, _, ch, _, _ in places if ch}, key=lambda c: CHANNELS.index(c) if c in CHANNELS else 99)
            fact_cell = (f'<td class="fact" rowspan="{len(ordered)}">{escape(fact)}'
                         f'<small>{_rule_link(finding.rule, result.rule_docs)}</small></td>') if index == 0 else ""
            rows.append(
                f'<tr class="contradiction-row{" fact-start" if index == 0 else ""}{" odd" if value == own else ""}" data-fact="{escape(fact)}">{fact_cell}'
                f'<td class="value"><b>{escape(value)}</b><br><small class="sub">{_plural(len(places), "place")}'
                f'{" · " + escape(", ".join(channels)) if channels else ""}</small></td>'
                f'<td><ul class="places">{shown}</ul></td></tr>'
            )
    return (
        '<div class="card" style="padding:6px 10px"><table id="contradictions"><thead><tr><th>Fact</th><th>Value</th>'
        f'<th>Where it is stated</th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>'
    )


def _rule_link(rule: str, links: dict[str, str]) -> str:
    """The rule id, linked to its documentation page where it has one."""
    code = f"<code>{escape(rule)}</code>"
    url = links.get(rule)
    if not url:
        return f'<span class="rule">{code}</span>'
    return f'<a class="rule" href="{escape(url)}" target="_blank" rel="noopener noreferrer" title="What this rule checks, and why">{code}</a>'


def _finding(finding: Finding, short: _Paths, links: dict[str, str]) -> str:
    also = ""
    if finding.related and finding.category != "contradiction":
        places = ", ".join(f"{short(r.path)}:{r.line}" + (f" ({escape(r.value)})" if r.value else "") for r in finding.related[:PLACES_SHOWN])
        more = f" and {len(finding.related) - PLACES_SHOWN} more" if len(finding.related) > PLACES_SHOWN else ""
        also = f'<div class="also">See also {places}{more}</div>'
    fix = f'<div class="fix"><b>Suggestion</b>{escape(finding.suggestion)}</div>' if finding.suggestion else "<div></div>"
    return (
        f'<article class="finding {escape(finding.severity)}" data-category="{escape(finding.category)}" '
        f'data-channel="{escape(finding.channel)}" data-severity="{escape(finding.severity)}" data-rule="{escape(finding.rule)}">'
        f'<div class="head"><span class="pill {escape(finding.severity)}">{escape(finding.severity)}</span>'
        f'<div><div class="msg">{escape(finding.message)}</div>'
        f'<span class="loc">{_rule_link(finding.rule, links)} · source: <span class="src">{short(finding.path)}:{finding.line}:{finding.column}</span></span></div></div>'
        f'<div>{_context(finding)}</div>{fix}{also}</article>'
    )


def _documents(result: RunResult, short: _Paths) -> str:
    by_path: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in sorted(result.findings, key=Finding.sort_key):
        by_path[finding.path][finding.unit.id if finding.unit else ""].append(finding)
    info: dict[str, tuple[str, str, int]] = {}
    for doc in result.documents:
        channel, lang, words = info.get(doc.path, (doc.channel, "", 0))
        langs = lang.split(", ") if lang else []
        info[doc.path] = (channel, ", ".join(langs + [doc.lang] if doc.lang not in langs else langs), words + doc.words)
    cards = []
    for path, units in by_path.items():
        first = next(iter(units.values()))[0]
        channel, lang, words = info.get(path, (first.channel, first.lang, 0))
        count = sum(map(len, units.values()))
        body = []
        for unit_id, findings in units.items():
            unit = findings[0].unit
            inner = "".join(_finding(f, short, result.rule_docs) for f in findings)
            if unit:
                label = f"{unit.kind} {unit.id}" + (f" · {unit.date}" if unit.date else "")
                body.append(f'<section class="unit" data-unit="{escape(unit_id)}"><h4>{escape(label)}</h4>{inner}</section>')
            else:
                body.append(f'<section class="unit">{inner}</section>')
        meta = f'<span class="tag">{escape(channel)}</span><span class="tag">{escape(lang)}</span>'
        meta += f'<span class="sub" style="font-size:13px">{_plural(words, "word")}</span>' if words else ""
        cards.append(
            f'<section class="doc" data-path="{escape(path)}"><header><h3>{short(path)}</h3>{meta}'
            f'<span class="count"><span class="doc-count">{count}</span> of {_plural(count, "finding")}</span></header>{"".join(body)}</section>'
        )
    return "".join(cards)


def _filters(result: RunResult) -> str:
    groups = [
        ("severity", Counter(f.severity for f in result.findings), SEVERITY_ORDER),
        ("category", Counter(f.category for f in result.findings), CATEGORIES),
        ("channel", Counter(f.channel for f in result.findings), CHANNELS),
    ]
    rows = []
    for group, counts, order in groups:
        names = [n for n in order if counts[n]] + sorted(n for n in counts if n not in order)
        chips = "".join(
            f'<label class="chip" for="filter-{group}-{escape(name)}"><input type="checkbox" checked id="filter-{group}-{escape(name)}" '
            f'name="{group}" value="{escape(name)}" data-filter="{group}">{escape(name)} <small>{counts[name]}</small></label>'
            for name in names
        )
        rows.append(f'<div class="fgroup" id="filter-{group}"><span>{group}</span><div class="chips">{chips}</div></div>')
    total = len(result.findings)
    visible = " · ".join(f'<span id="visible-{s}">0</span> {s}' for s in SEVERITY_ORDER)
    return (
        f'<div class="filters" role="region" aria-label="Filters">{"".join(rows)}<div class="status"><span>Showing '
        f'<b id="visible-count">{total}</b> of <b id="total-count">{total}</b> findings <span class="sub">({visible})</span></span>'
        '<button type="button" id="filter-reset">Show all</button></div></div>'
    )


def _crawl(result: RunResult) -> str:
    """The crawl in numbers; URLs left at a limit are counted, with their sample behind a toggle."""
    report = result.crawl_report
    skipped = report.skipped_count if report else len(result.crawl_skipped)
    items = [f"<li>Crawled {_plural(len(result.crawl_fetched), 'page')}; skipped {skipped:,} URL{'' if skipped == 1 else 's'} (off-site, robots.txt, not pages).</li>"]
    for left in report.not_visited.values() if report else ():
        sample = "".join(f"<li><code>{escape(url)}</code></li>" for url in left.sample)
        items.append(f"<li>{left.count:,} URL{'' if left.count == 1 else 's'} not visited ({escape(left.reason)})"
                     f"<details><summary>{len(left.sample)} of them</summary><ul>{sample}</ul></details></li>")
    return f'<h2 id="crawl-title">Crawl</h2><div class="card"><ul class="errors" id="crawl">{"".join(items)}</ul></div>'


def render(result: RunResult, color: bool = False) -> str:
    findings = result.findings
    paths = [d.path for d in result.documents] + [f.path for f in findings] + [e.path for e in result.errors]
    paths += [r.path for f in findings for r in f.related]
    short = _Paths(paths)
    severities = Counter(f.severity for f in findings)
    words = sum(d.words for d in result.documents)
    when = datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")
    tiles = [("documents", "", len(result.documents), "documents"), ("words", "", words, "words"), ("findings", "", len(findings), "findings")]
    tiles += [(s, s, severities[s], _plural(severities[s], s).split(" ", 1)[1].replace("infos", "info")) for s in SEVERITY_ORDER]
    if result.errors:
        tiles.append(("input-errors", "error", len(result.errors), "unreadable inputs"))
    tile_html = "".join(
        f'<div class="tile {css if count else ""}" id="total-{key}"><b>{count:,}</b><span>{escape(label)}</span></div>'
        for key, css, count, label in tiles
    )
    if not findings:
        tile_html += '<div class="tile clean"><b>✓</b><span>no problems found</span></div>'
    summary = "".join(
        f'<div class="card" id="summary-{key}"><h3>By {key}</h3>{_bars(counts, order, css)}</div>'
        for key, counts, order, css in (
            ("severity", severities, SEVERITY_ORDER, True),
            ("channel", Counter(f.channel for f in findings), CHANNELS, False),
            ("category", Counter(f.category for f in findings), (), False),
            ("language", Counter(f.lang for f in findings), (), False),
        )
    )
    flagged = len({(f.path, f.unit.id if f.unit else "") for f in findings})
    where = f" in {escape(short.prefix)}" if short.prefix else ""
    parts = [
        '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f'<meta name="generator" content="{escape(GENERATOR)}">',  # so a later run does not check this report
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">",
        f"<title>commlint report · {len(findings)} findings</title><style>{CSS}</style></head><body><main>",
        f'<header><h1>Communication check</h1><p class="sub">{_plural(len(result.documents), "document")}{where} · '
        f'{flagged} with findings · generated {escape(when)} · checked in <span id="run-time">{result.seconds:.1f}</span> s</p>',
        f'<div class="tiles" id="totals">{tile_html}</div></header>',
        f'<h2>Summary</h2><div class="grid">{summary}</div>',
        f'<h2 id="contradictions-title">Contradictions across channels</h2>{_contradictions(result, short)}',
        '<h2 id="findings-title">Findings by document</h2>',
    ]
    if findings:
        parts += [_filters(result), f'<div id="documents">{_documents(result, short)}</div>',
                  '<div class="card empty" id="no-match" hidden>No findings match the filters.</div>']
    else:
        parts.append('<div class="card empty" id="no-match">No problems found.</div>')
    if result.errors:
        items = "".join(f"<li>{short(e.path)}: {escape(e.message)}</li>" for e in result.errors)
        parts.append(f'<h2 id="errors-title">Inputs that could not be read</h2><div class="card"><ul class="errors" id="errors">{items}</ul></div>')
    if result.warnings:
        items = "".join(f"<li>{short(w.path)}: {escape(w.message)}</li>" for w in result.warnings[:200])
        more = f'<li>… and {len(result.warnings) - 200} more (all of them in the JSON report)</li>' if len(result.warnings) > 200 else ""
        parts.append(f'<h2 id="warnings-title">Left out of the check</h2><div class="card"><ul class="errors" id="warnings">{items}{more}</ul></div>')
    if result.skipped:
        parts.append(f'<p class="sub">{skipped_sentence(len(result.skipped))}.</p>')
    if result.crawl_fetched or result.crawl_report:
        parts.append(_crawl(result))
    parts.append(f'<footer>Generated by commlint · {_plural(len(result.documents), "document")}, {_plural(words, "word")}</footer></main>')
    if findings:
        parts.append(f"<script>{JS}</script>")
    parts.append("</body></html>\n")
    return "".join(parts)
