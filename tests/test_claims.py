"""Contradictions between channels, end to end: real HTML, MIME email and a social export."""
from __future__ import annotations

import json
from pathlib import Path

from conftest import findings_of

WEB = """<!doctype html><html lang="en"><head><title>Refunds</title></head><body>
<h1>Refunds</h1>
<p>Changed your mind? Cancel within 30 days of installation and we refund everything.</p>
<p>We answer e-mails within 24 hours. Call us on +47 22 33 44 55, Mon&ndash;Fri 9&ndash;17.</p>
<table><tr><td>Basic</td><td>$19/month</td></tr><tr><td>Pro</td><td>$29/month</td></tr></table>
</body></html>
"""
EMAIL = """From: Team <hello@shop.example>
To: anna@example.com
Subject: Welcome
Message-ID: <w1@shop.example>
Content-Type: text/plain; charset=utf-8

Hi Anna,

thank you for your order. You can cancel within 14 days and get your money back.
We reply within one day, and our phone line is open Mon-Fri 9-17.
"""
POSTS = json.dumps([
    {"id": "p1", "created_at": "2025-03-01", "text": "The Pro plan is now just $25 per month!"},
    {"id": "p2", "created_at": "2025-03-02", "text": "Basic still costs $19 per month. We answer messages within 24 hours."},
])


def _site(tmp_path: Path) -> None:
    (tmp_path / "web").mkdir()
    (tmp_path / "web" / "refunds.html").write_text(WEB, encoding="utf-8")
    (tmp_path / "email").mkdir()
    (tmp_path / "email" / "welcome.eml").write_text(EMAIL, encoding="utf-8")
    (tmp_path / "social").mkdir()
    (tmp_path / "social" / "posts.json").write_text(POSTS, encoding="utf-8")
    (tmp_path / "commlint.toml").write_text('default-country = "NO"\nselect = ["contradiction", "terminology"]\n')


def test_conflicts_across_web_email_and_social_name_every_place(run_cli, tmp_path: Path) -> None:
    _site(tmp_path)
    report = findings_of(run_cli("check", ".", "--format", "json"))
    by_rule = {f["rule"]: f for f in report["findings"]}
    assert set(by_rule) == {"contradiction/refund-window", "contradiction/price"}

    refund = by_rule["contradiction/refund-window"]
    assert (refund["path"], refund["line"]) == ("email/welcome.eml", 9)
    # why the two are one fact: the fact, no plan named on either side, one sender (shop.example)
    assert refund["message"] == "Refund window (shop.example, no plan or product named): 14 days here, but 30 days in web/refunds.html"
    assert [(r["path"], r["line"], r["value"]) for r in refund["related"]] == [("web/refunds.html", 3, "30 days")]

    price = by_rule["contradiction/price"]
    assert price["unit"]["id"] == "p1"
    assert price["message"] == "Price of pro (shop.example): USD 25 per month here, but USD 29 per month in web/refunds.html"
    assert {r["value"] for r in price["related"]} == {"USD 29 per month"}


def test_equal_facts_in_other_words_plans_and_unrelated_numbers_are_not_conflicts(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(
        "We reply within 24 hours. Basic costs $19/mo and Pro costs $29/mo. Call +47 22 33 44 55.\n\n"
        "Refunds: cancel within thirty days. Our shop has served 30,000 customers for 14 years.\n"
    )
    (tmp_path / "b.txt").write_text(
        "Our answer comes within 1 day. The Pro plan is USD 29 monthly. Phone: 22 33 44 55.\n\n"
        "Your order 14 will be delivered within 3 business days. You have 30 days to cancel.\n"
    )
    (tmp_path / "commlint.toml").write_text('default-country = "NO"\nselect = ["contradiction"]\n')
    assert findings_of(run_cli("check", ".", "--format", "json"))["findings"] == []


def test_declared_facts_are_the_source_of_truth(run_cli, tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text("Changed your mind? Cancel within 14 days for a full refund.\n")
    (tmp_path / "commlint.toml").write_text('select = ["contradiction"]\n[facts]\nrefund-window = "30 days"\n')
    [finding] = findings_of(run_cli("check", "only.txt", "--format", "json"))["findings"]
    assert finding["rule"] == "contradiction/refund-window"
    assert finding["message"] == "Refund window (no plan or product named): 14 days here, but the declared fact is 30 days"


def test_unreadable_declared_fact_is_a_config_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "only.txt").write_text("Hello.\n")
    (tmp_path / "commlint.toml").write_text('[facts]\nrefund-window = "soon"\n')
    done = run_cli("check", "only.txt")
    assert done.returncode == 2 and "[facts] refund-window: cannot read 'soon'" in done.stderr


def test_brand_spelling_and_preferred_terms(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Welcome to Team Support. Team Support answers fast. Follow #teamsupport.\n")
    (tmp_path / "b.txt").write_text("Thanks for choosing TeamSupport! Write to help@teamsupport.example.\n")
    (tmp_path / "commlint.toml").write_text('select = ["terminology"]\n[terminology.preferred]\n"Wi-Fi" = ["WiFi"]\n')
    (tmp_path / "c.txt").write_text("Free WiFi in every room.\n")
    found = {(f["rule"], f["path"]): f["message"] for f in findings_of(run_cli("check", ".", "--format", "json"))["findings"]}
    assert found == {
        ("terminology/spelling", "b.txt"): "“TeamSupport” is written “Team Support” in 2 other places",
        ("terminology/preferred", "c.txt"): "“WiFi”: write “Wi-Fi”",
    }


def test_facts_command_prints_what_was_understood(run_cli, tmp_path: Path) -> None:
    _site(tmp_path)
    done = run_cli("facts", ".", "--format", "json")
    assert done.returncode == 0, done.stderr
    facts = json.loads(done.stdout)["facts"]
    rows = {(f["fact"], f["subject"], f["value"], f["path"]) for f in facts}
    assert ("refund-window", None, "14 days", "email/welcome.eml") in rows
    assert ("price", "pro", "USD 25 per month", "social/posts.json") in rows
    assert ("support-hours", None, "Mon–Fri 09:00–17:00", "web/refunds.html") in rows
    assert ("phone", None, "+47 22 33 44 55", "web/refunds.html") in rows
    text = run_cli("facts", ".").stdout
    assert "refund window" in text and "web/refunds.html:3:" in text


def test_a_contradiction_can_be_ignored_like_any_rule(run_cli, tmp_path: Path) -> None:
    _site(tmp_path)
    report = findings_of(run_cli("check", ".", "--format", "json", "--ignore", "contradiction/price"))
    assert [f["rule"] for f in report["findings"] if f["category"] == "contradiction"] == ["contradiction/refund-window"]


def test_equal_facts_in_six_languages_agree_and_one_change_is_caught(run_cli, tmp_path: Path) -> None:
    copy = {
        "en": "You can cancel within 30 days for a full refund. We reply within 24 hours.",
        "de": "Sie können innerhalb von 30 Tagen kündigen und erhalten Ihr Geld zurück. Wir antworten innerhalb von 24 Stunden.",
        "nb": "Du kan si opp innen 30 dager og få pengene tilbake. Vi svarer innen 24 timer.",
        "ja": "30日以内のご解約で全額返金いたします。24時間以内に回答いたします。",
        "id": "Anda dapat membatalkan dalam 30 hari dan uang kembali penuh. Kami membalas dalam 1x24 jam.",
        "su": "Anjeun tiasa ngabatalkeun dina 30 dinten sarta artos dipulangkeun. Kami ngawaler dina 24 jam.",
    }
    for lang, text in copy.items():
        (tmp_path / f"{lang}.txt").write_text(text + "\n", encoding="utf-8")
    (tmp_path / "commlint.toml").write_text('select = ["contradiction"]\n')
    args = ["check", *(f"{lang}.txt" for lang in copy), "--format", "json"]
    facts = json.loads(run_cli("facts", *(f"{lang}.txt" for lang in copy), "--format", "json").stdout)["facts"]
    assert {(f["lang"], f["fact"], f["value"]) for f in facts} >= {
        (lang, fact, value) for lang in copy for fact, value in (("refund-window", "30 days"), ("response-time", "1 day"))
    }
    assert findings_of(run_cli(*args))["findings"] == []
    (tmp_path / "nb.txt").write_text("Du kan si opp innen fjorten dager og få pengene tilbake.\n", encoding="utf-8")
    [finding] = findings_of(run_cli(*args))["findings"]
    assert finding["path"] == "nb.txt"
    assert finding["message"] == "Refund window (no plan or product named): 14 days here, but 30 days in de.txt (and 4 more places)"


def test_postal_address_slip_is_a_contradiction_but_other_offices_are_not(run_cli, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Visit us at Storgata 12, 0155 Oslo. Our Bergen shop is at Strandgaten 5, 5013 Bergen.\n")
    (tmp_path / "b.txt").write_text("Send returns to Storgata 21, 0155 Oslo.\n")
    (tmp_path / "commlint.toml").write_text('select = ["contradiction"]\n')
    [finding] = findings_of(run_cli("check", ".", "--format", "json"))["findings"]
    assert finding["rule"] == "contradiction/address"
    assert finding["message"] == "Postal address: Storgata 21, 0155 Oslo here, but Storgata 12, 0155 Oslo in a.txt"


# -- issue 13: one conflict, one finding; messages that read as a sentence; a source line ------

def _in_process(monkeypatch, capsys, folder: Path, *argv: str) -> tuple[int, str, str]:
    """commlint's own entry point, run in `folder` (the config is found from there)."""
    from commlint.cli import main

    monkeypatch.chdir(folder)
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_a_declared_fact_reports_each_conflicting_document_once(monkeypatch, capsys, tmp_path: Path) -> None:
    # two places agree with the declaration, two state 14 days: before, the first of those was
    # reported twice (against the declared value and against the other documents)
    (tmp_path / "faq.txt").write_text("You can cancel within 30 days for a full refund.\n")
    (tmp_path / "web.txt").write_text("Cancel within 30 days and get your money back.\n")
    (tmp_path / "mail.txt").write_text("Remember: you can cancel within 14 days for a full refund.\n")
    (tmp_path / "post.txt").write_text("Cancel within 14 days, money back!\n")
    (tmp_path / "commlint.toml").write_text('select = ["contradiction"]\n[facts]\nrefund-window = "30 days"\n')
    code, out, _ = _in_process(monkeypatch, capsys, tmp_path, "check", ".", "--format", "json")
    findings = json.loads(out)["findings"]
    assert code == 1 and [f["path"] for f in findings] == ["mail.txt", "post.txt"]
    mail = findings[0]
    assert mail["message"] == ("Refund window (no plan or product named): 14 days here, but the declared fact is 30 days "
                               "(faq.txt and 1 more place agree; post.txt says 14 days)")
    assert mail["value"] == "14 days"
    assert [(r["path"], r["value"]) for r in mail["related"]] == [("faq.txt", "30 days"), ("post.txt", "14 days"), ("web.txt", "30 days")]


def test_terminology_and_contradiction_findings_show_their_source_line(monkeypatch, capsys, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Welcome to Team Support.\nTeam Support answers fast.\n")
    (tmp_path / "b.txt").write_text("Hello!\nThanks for choosing TeamSupport today.\n")
    (tmp_path / "c.txt").write_text("Refunds:\nCancel within 30 days for a full refund.\n")
    (tmp_path / "d.txt").write_text("Refunds:\nCancel within 14 days for a full refund.\n")
    (tmp_path / "commlint.toml").write_text('select = ["terminology", "contradiction"]\n')
    code, out, _ = _in_process(monkeypatch, capsys, tmp_path, "check", ".")
    assert code == 1
    spelling = out.split("terminology/spelling", 1)[1]
    # the stored line with the words marked, as every rule's finding shows it
    assert "  2 | Thanks for choosing TeamSupport today.\n    |                     ^^^^^^^^^^^\n" in spelling
    assert "  in: “" not in spelling.split("\n\n", 1)[0]
    refund = out.split("contradiction/refund-window", 1)[1]
    assert "  2 | Cancel within 14 days for a full refund.\n    |               ^^^^^^^\n" in refund


def test_an_unknown_fact_is_a_usage_error_naming_the_known_ones(monkeypatch, capsys, tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Prices start at $19 per month for Basic.\n")
    code, out, err = _in_process(monkeypatch, capsys, tmp_path, "facts", "a.txt", "--fact", "prices")
    assert code == 2 and out == ""
    assert "unknown fact 'prices'" in err and "price, processing-time" in err
    code, out, _ = _in_process(monkeypatch, capsys, tmp_path, "facts", "a.txt", "--fact", "price")
    assert code == 0 and "USD 19 per month" in out
