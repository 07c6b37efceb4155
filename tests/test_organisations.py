"""Contradictions hold up on real sites: facts are compared only within one organisation, about
one subject, under one set of conditions; numbers that are not the fact are left alone."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from commlint.claims import ClaimSettings, Organisations, compare, extract_claims, load_knowledge
from commlint.claims.senders import attribute, country_of, registrable, sender_of
from commlint.extraction import ExtractOptions, extract
from commlint.rules import builtin_pack_folder
from commlint.sources import SourceData, SourceRef
from conftest import findings_of

KNOWLEDGE = load_knowledge([builtin_pack_folder()])
FORMATS = {"html": "html", "eml": "eml", "txt": "text", "md": "markdown"}


def _documents(path: str, text: str, lang: str, channel: str = "web"):
    ref = SourceRef(path=path, format=FORMATS[path.rsplit(".", 1)[1]], channel=channel, location=None, explicit=True)
    return extract(SourceData(ref, text.encode()), ExtractOptions(lang=lang), [])


def _claims(path: str, text: str, lang: str = "en", channel: str = "web", region: str | None = None):
    return [c for doc in _documents(path, text, lang, channel) for c in extract_claims(doc, KNOWLEDGE, region)]


def _page(host: str, body: str, lang: str = "en") -> str:
    return (f'<html lang="{lang}"><head><title>Page</title><link rel="canonical" href="https://{host}/page"></head>'
            f"<body>{body}</body></html>")


def _mail(sender: str, body: str) -> str:
    return (f"From: Team <{sender}>\nTo: anna@example.org\nSubject: Hello\nDate: Mon, 2 Jun 2025 10:00:00 +0000\n"
            f"Message-ID: <1@x>\nMIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n\n{body}\n")


def _facts(claims, fact: str) -> set:
    return {(c.subject, c.conditions, c.display) for c in claims if c.fact == fact}


# -- who sends what -------------------------------------------------------------------------

def test_the_sender_is_the_canonical_host_the_from_domain_or_the_account() -> None:
    [page] = _documents("web/a.html", _page("www.acme.co.uk", "<p>Hi</p>"), "en")
    [mail] = _documents("mail/a.eml", _mail("news@mail.acme.co.uk", "Hi"), "en", "email")
    [draft] = _documents("draft.txt", "Hi there", "en", "draft")
    assert sender_of(page) == "www.acme.co.uk" and sender_of(mail) == "mail.acme.co.uk" and sender_of(draft) is None
    assert registrable("www.acme.co.uk") == registrable("mail.acme.co.uk") == "acme.co.uk"
    assert registrable("shop.biznet.co.id") == "biznet.co.id" and registrable("127.0.0.1") == "127.0.0.1"
    assert (country_of("fjordnett.no"), country_of("acme.co.uk"), country_of("acme.com")) == ("NO", "GB", None)


def test_a_document_without_a_sender_takes_its_folders_one_organisation() -> None:
    orgs = {"a/web/x.html": "acme.no", "a/mail/y.eml": "acme.no", "a/draft/z.txt": None,
            "b/web/x.html": "beta.de", "b/draft/z.txt": None, "loose.txt": None}
    paths = {key: key for key in orgs}
    result, unattributed = attribute(orgs, paths)
    assert result["a/draft/z.txt"] == "acme.no" and result["b/draft/z.txt"] == "beta.de"
    assert result["loose.txt"] is None and unattributed == ["loose.txt"]  # two organisations above it
    # one organisation in the run: every document is its
    single, none = attribute({"x.html": "acme.no", "y.txt": None}, {"x.html": "x.html", "y.txt": "y.txt"})
    assert single == {"x.html": "acme.no", "y.txt": "acme.no"} and none == []


def test_unrelated_senders_are_never_compared_and_config_or_option_can_join_them() -> None:
    claims = (_claims("acme/returns.html", _page("acme.no", "<p>You can return any item within 30 days.</p>"))
              + _claims("beta/returns.html", _page("beta.de", "<p>You can return any item within 14 days.</p>")))
    assert compare(claims) == []
    joined = compare(claims, ClaimSettings(organisations=Organisations(everything="Group")))
    assert [f.rule for f in joined] == ["contradiction/return-window"]
    mapped = ClaimSettings(organisations=Organisations(named=(("Group", ("acme.no", "beta/*")),)))
    [finding] = compare(claims, mapped)
    assert finding.message == "Return window (Group, no plan or product named): 14 days here, but 30 days in acme/returns.html"


# -- what is not the fact ---------------------------------------------------------------------

def test_ages_times_before_an_event_prizes_and_implausible_periods_are_no_facts() -> None:
    text = ("My son is 8 years old and loves the free trial. We'll remind you 7 days before your trial ends. "
            "Win a prize worth £500 in our draw. Every bike has a 2-year warranty and 24-hour roadside assistance.")
    claims = _claims("a.txt", text, channel="draft")
    assert {c.display for c in claims if c.fact == "trial-length"} == set()
    assert {c.display for c in claims if c.fact == "warranty-length"} == {"24 months"}
    assert not [c for c in claims if c.fact == "price"]


def test_a_receipts_amounts_are_not_prices() -> None:
    mail = _mail("orders@acme.co.uk", "Order number 4411\nCity bike £499\nShipping £5\nTotal £504")
    assert not [c for c in _claims("o.eml", mail, channel="email") if c.fact == "price"]


def test_conditions_and_table_rows_keep_values_apart() -> None:
    text = "The Pro plan costs £9 per month for the first 3 months, then £19 per month. Students pay £12 per month."
    assert _facts(_claims("p.txt", text, channel="draft"), "price") == {
        ("pro", ("promotion",), "GBP 9 per month"), ("pro", (), "GBP 19 per month"), (None, ("student",), "GBP 12 per month")}
    table = _page("acme.no", "<table><tr><th>Part</th><th>Warranty</th></tr><tr><td>Battery</td><td>2 years</td></tr>"
                              "<tr><td>Frame</td><td>10 years</td></tr></table>")
    assert _facts(_claims("w.html", table), "warranty-length") == {("battery", (), "24 months"), ("frame", (), "120 months")}


def test_a_document_stating_two_values_is_compared_with_nothing() -> None:
    # two sets of hours on one page, not told apart: no guess about which one the e-mail means
    page = _page("acme.no", "<p>Our team is available Mon–Fri 10–19. Call us Mon–Fri 9–17.</p>")
    mail = _mail("hello@acme.no", "We are available Mon–Fri 9–18.")
    claims = _claims("web/c.html", page) + _claims("mail/m.eml", mail, channel="email")
    assert not [f for f in compare(claims) if f.rule == "contradiction/support-hours"]


def test_a_places_opening_hours_are_not_the_phone_lines() -> None:
    shop = _page("acme.no", "<p>We are open Mon–Fri 10–19.</p>")
    desk = _page("acme.no", "<p>Customer service is available Mon–Fri 9–17.</p>")
    mail = _mail("hello@acme.no", "Our customer service team is available Mon–Fri 9–18.")
    claims = _claims("web/shop.html", shop) + _claims("web/desk.html", desk)
    assert compare(claims) == []
    # the desk's hours stated two ways still conflict
    [finding] = compare(claims + _claims("mail/m.eml", mail, channel="email"))
    assert finding.rule == "contradiction/support-hours" and "10:00" not in finding.message
    # hours given with two different phone numbers are two lines' hours
    station = _page("acme.no", "<p>Call the station on 55 30 41 80, Mon–Fri 8–17.</p>")
    office = _page("acme.no", "<p>Call our office on 22 33 44 55, Mon–Fri 8–18.</p>")
    assert compare(_claims("web/s.html", station) + _claims("web/o.html", office)) == []


def test_a_period_belongs_to_the_cue_of_its_own_clause() -> None:
    text = "Every device comes with a 24-month warranty and 30-day free returns."
    assert _facts(_claims("p.txt", text, channel="draft"), "return-window") == {(None, (), "30 days")}
    assert _facts(_claims("p.txt", text, channel="draft"), "warranty-length") == {(None, (), "24 months")}
    # a cue just past "after" is the event the period counts from, not the fact
    callback = "We will call you back at most 2 hours after the form is sent."
    assert _facts(_claims("c.txt", callback, channel="draft"), "delivery-time") == set()


def test_one_named_product_takes_the_periods_that_name_none() -> None:
    named = _page("acme.no", "<p>Try the Hafenpass plan free for 7 days.</p>")
    bare = _page("acme.no", "<p>Start your free trial: 14 days, no card needed.</p>")
    [finding] = compare(_claims("web/a.html", named) + _claims("web/b.html", bare))
    assert finding.rule == "contradiction/trial-length" and finding.severity == "info"
    # a discount code names the offer it belongs to
    code = _page("acme.no", "<p>Use WELCOME15 for 15% off your first order.</p>")
    other = _page("acme.no", "<p>Use SUMMER10 for 10% off your first order.</p>")
    assert compare(_claims("web/c.html", code) + _claims("web/d.html", other)) == []


def test_periods_in_other_units_are_one_value() -> None:
    def returns(path: str, period: str):
        return _claims(path, _page("acme.no", f"<p>You can return any item within {period}.</p>"))

    assert compare(returns("a.html", "2 weeks") + returns("b.html", "14 days")) == []
    assert compare(returns("a.html", "one month") + returns("b.html", "30 days")) == []
    # "10 working days" may be two calendar weeks: no guess either way
    assert compare(returns("a.html", "10 working days") + returns("b.html", "14 days")) == []
    [finding] = compare(returns("a.html", "1 working day") + returns("b.html", "48 hours"))
    assert finding.rule == "contradiction/return-window"


def test_a_national_phone_number_reads_in_the_senders_country() -> None:
    page = _page("fjordnett.no", "<p>Ring kundeservice på 22 33 44 55.</p>", "nb")
    mail = _mail("hei@fjordnett.no", "Ring oss på 22 33 44 56.")
    claims = _claims("p.html", page, "nb") + _claims("m.eml", mail, "nb", "email")
    assert {c.display for c in claims if c.fact == "phone"} == {"+47 22 33 44 55", "+47 22 33 44 56"}
    [finding] = [f for f in compare(claims) if f.rule == "contradiction/phone"]
    assert "(fjordnett.no)" in finding.message and finding.severity == "error"


# -- the command line -------------------------------------------------------------------------

def _mixed_folder(root: Path) -> None:
    (root / "acme").mkdir()
    (root / "acme" / "returns.html").write_text(_page("www.acme.no", "<p>Return any item within 30 days.</p>"), encoding="utf-8")
    (root / "acme" / "draft.txt").write_text("Return any item within 21 days!\n", encoding="utf-8")
    (root / "beta").mkdir()
    (root / "beta" / "returns.html").write_text(_page("beta.de", "<p>Return any item within 14 days.</p>"), encoding="utf-8")
    (root / "notes.txt").write_text("Return any item within 60 days.\n", encoding="utf-8")
    (root / "commlint.toml").write_text('select = ["contradiction"]\n', encoding="utf-8")


def test_a_folder_of_two_senders_compares_each_with_itself_and_names_what_it_could_not_place(run_cli, tmp_path: Path) -> None:
    _mixed_folder(tmp_path)
    report = findings_of(run_cli("check", ".", "--format", "json"))
    [finding] = report["findings"]
    assert finding["path"] == "acme/draft.txt"
    assert finding["message"] == "Return window (acme.no, no plan or product named): 21 days here, but 30 days in acme/returns.html"
    assert report["summary"]["organisations"] == 2 and report["summary"]["unattributed"] == ["notes.txt"]
    text = run_cli("check", ".").stdout
    assert "1 document (notes.txt) name no sender" in text and "--organisation" in text
    joined = findings_of(run_cli("check", ".", "--format", "json", "--organisation", "Acme Group"))
    assert [f["rule"] for f in joined["findings"]] == ["contradiction/return-window"]
    assert "(Acme Group, no plan or product named)" in joined["findings"][0]["message"] and joined["summary"]["unattributed"] == []


def test_config_organisations_and_the_facts_table(run_cli, tmp_path: Path) -> None:
    _mixed_folder(tmp_path)
    (tmp_path / "commlint.toml").write_text(
        'select = ["contradiction"]\n[organisations]\nAcme = ["acme.no", "notes.txt"]\n', encoding="utf-8")
    report = findings_of(run_cli("check", ".", "--format", "json"))
    assert report["summary"]["unattributed"] == []
    assert {f["path"] for f in report["findings"]} <= {"acme/draft.txt", "acme/returns.html", "notes.txt"}
    facts = json.loads(run_cli("facts", ".", "--format", "json").stdout)["facts"]
    assert {(f["path"], f["organisation"]) for f in facts} == {
        ("acme/returns.html", "Acme"), ("acme/draft.txt", "Acme"), ("notes.txt", "Acme"), ("beta/returns.html", "beta.de")}
    table = run_cli("facts", ".").stdout
    assert table.splitlines()[0].split()[:4] == ["organisation", "fact", "subject", "conditions"]


@pytest.mark.parametrize("bad", ['[organisations]\nAcme = 3\n', 'organisation = ""\n'])
def test_a_bad_organisations_entry_is_a_clear_config_error(run_cli, tmp_path: Path, bad: str) -> None:
    (tmp_path / "a.txt").write_text("Hi\n")
    (tmp_path / "commlint.toml").write_text(bad, encoding="utf-8")
    done = run_cli("check", "a.txt")
    assert done.returncode == 2 and "organisation" in done.stderr and "Traceback" not in done.stderr


def test_a_slipped_landline_is_held_against_the_landline_not_the_more_common_mobile() -> None:
    footer = "Telepon +62 22 2031 4587 · WhatsApp 0812-2045-7731"
    claims = [c for i in range(3) for c in _claims(f"web/p{i}.html", _page("sari.co.id", f"<p>{footer}</p><p>WhatsApp 0812-2045-7731</p>"), "id")]
    claims += _claims("social/post.txt", "Pesan lewat telepon (022) 2031 4597 ya!", "id", "social", region="ID")
    [finding] = [f for f in compare(claims) if f.rule == "contradiction/phone"]
    assert finding.path == "social/post.txt" and "+62 22 20314587" in finding.message


def test_support_mailboxes_are_one_desk_and_example_addresses_no_facts() -> None:
    web = _page("alpen.de", "<p>Schreiben Sie an service@alpen.de oder an presse@alpen.de.</p>", "de")
    mail = _mail("news@alpen.de", "Write to support@alpen.de, or to legal@alpen.de for legal notices.")
    claims = _claims("w.html", web, "de") + _claims("m.eml", mail, "en", "email")
    [finding] = [f for f in compare(claims) if f.rule == "contradiction/email"]
    assert "support@alpen.de" in finding.message and "legal@" not in finding.message and "presse@" not in finding.message
    form = _page("alpen.de", "<p>E-Mail-Adresse, z. B. deinname@beispiel.com oder name@example.com</p>", "de")
    assert not [c for c in _claims("f.html", form, "de") if c.fact == "email"]


def test_two_language_versions_of_a_table_are_matched_row_by_row() -> None:
    def table(rows: list[tuple[str, str]]) -> str:
        return "<table><tr><th>Ticket</th><th>Price</th></tr>" + "".join(
            f"<tr><td>{name}</td><td>{price}</td></tr>" for name, price in rows) + "</table>"

    norwegian = _page("ferje.no", table([("Voksen", "1 290 kr"), ("Ungdom", "520 kr"), ("Honnør", "645 kr"), ("Student", "774 kr")]), "nb")
    english = _page("ferje.no", table([("Adult", "NOK 1,390"), ("Youth", "NOK 520"), ("Senior", "NOK 645")]))
    [finding] = compare(_claims("web/priser.html", norwegian, "nb") + _claims("web/en/fares.html", english))
    assert finding.rule == "contradiction/price" and "1,390" in finding.message and "1,290" in finding.message
    # the same rows at the same prices: nothing to report
    same = _page("ferje.no", table([("Adult", "NOK 1,290"), ("Youth", "NOK 520"), ("Senior", "NOK 645")]))
    assert compare(_claims("web/priser.html", norwegian, "nb") + _claims("web/en/fares.html", same)) == []


def test_a_sentence_naming_a_known_plan_is_about_it() -> None:
    table = _page("mobil.no", "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Smart 10 GB</td><td>299 kr/mnd</td></tr>"
                              "<tr><td>Smart 30 GB</td><td>399 kr/mnd</td></tr></table>", "nb")
    roaming = _page("mobil.no", "<p>Mit Smart 30 GB (429 NOK pro Monat) surfen Sie in der EU.</p>", "de")
    [finding] = compare(_claims("web/priser.html", table, "nb") + _claims("web/de/roaming.html", roaming, "de"))
    assert "of smart 30 gb" in finding.message
    # a sentence with two prices does not say which one the plan's is
    both = _page("mobil.no", "<p>Mit Smart 30 GB zahlen Sie 429 NOK pro Monat, mit Smart 10 GB 299 NOK pro Monat.</p>", "de")
    assert compare(_claims("web/priser.html", table, "nb") + _claims("web/de/roaming.html", both, "de")) == []


def test_a_number_several_documents_give_is_a_line_not_a_slip() -> None:
    service = "<p>Customer service: +49 221 355 80 80</p>"
    advice = "<p>Pharmacist advice line: +49 221 355 80 85</p>"
    pages = [_claims(f"web/p{i}.html", _page("apo.de", service + (advice if i < 2 else ""))) for i in range(4)]
    assert compare([c for page in pages for c in page]) == []
    # one page with a one-digit slip is still found
    slip = _claims("web/slip.html", _page("apo.de", "<p>Customer service: +49 221 355 80 81</p>"))
    [finding] = compare([c for page in pages for c in page] + slip)
    assert finding.rule == "contradiction/phone" and finding.path == "web/slip.html"


def test_a_condition_before_the_comma_of_a_sentence_holds() -> None:
    text = "For students, the Pro plan is only £12 per month."
    assert _facts(_claims("p.txt", text, channel="draft"), "price") == {("pro", ("student",), "GBP 12 per month")}


def test_offer_words_codes_and_far_threshold_words_are_read() -> None:
    # a code in capitals after a code word names the offer, digits or not
    kenalan = _claims("p.txt", "Pakai kode KENALAN dan dapatkan diskon 50% untuk kotak pertama.", "id", "draft")
    assert _facts(kenalan, "discount") == {("kenalan", (), "50 %")}
    # an early-booking discount is an offer of its own, compared with other early-booking ones
    early = _claims("p.txt", "Book at least 28 days before departure and get 15% off the Simple fare.", channel="draft")
    assert _facts(early, "discount") == {(None, ("early-booking",), "15 %")}
    # a threshold word lets the free-shipping cue stand farther off
    far = _claims("p.txt", "Gratis ongkir ka sakuliah Indonésia kanggo balanja minimal Rp300.000.", "su", "draft")
    assert _facts(far, "free-shipping-threshold") == {(None, (), "IDR 300,000")}
    # "åpent kjøp" is a return window
    open_purchase = _claims("p.txt", "Du har alltid 30 dagers åpent kjøp.", "nb", "draft")
    assert _facts(open_purchase, "return-window") == {(None, (), "30 days")}


def test_a_reply_time_belongs_to_the_channel_named_just_before() -> None:
    whatsapp = _claims("p.txt", "Send us a WhatsApp message. We reply within 15 minutes.", channel="draft")
    assert _facts(whatsapp, "response-time") == {("chat", (), "15 minutes")}
    # its own sentence's e-mails say which channel replies
    mails = _claims("p.txt", "Send us a WhatsApp message. E-mails are answered within 2 days.", channel="draft")
    assert _facts(mails, "response-time") == {(None, (), "2 days")}


# -- labels, lists, the table against the text ------------------------------------------------

def test_a_label_before_a_colon_names_the_part_or_case() -> None:
    parts = _claims("p.txt", "Fassungen: 2 Jahre Garantie.\n\nGläser: 6 Monate Verträglichkeitsgarantie.", "de", "draft")
    # (a part every language names is read as one subject: frame, lenses)
    assert _facts(parts, "warranty-length") == {("frame", (), "24 months"), ("lenses", (), "6 months")}
    assert _facts(_claims("p.txt", "レンズ：6か月間の見え方保証。", "ja", "draft"), "warranty-length") == {("lenses", (), "6 months")}
    bag = _claims("p.txt", "Checked bag up to 20 kg: ¥2,300 online in advance.", channel="draft")
    assert _facts(bag, "price") == {("checked bag up to 20 kg", (), "JPY 2,300")}
    # a word of the fact itself, or a remark, names nothing
    assert _facts(_claims("p.txt", "Garantie: 2 Jahre auf alles.", "de", "draft"), "warranty-length") == {(None, (), "24 months")}
    assert _facts(_claims("p.txt", "Hinweis: 30 Tage Rückgaberecht.", "de", "draft"), "return-window") == {(None, (), "30 days")}


def test_a_lone_label_over_a_documents_only_value_is_dropped() -> None:
    # "Frühlingsstart:" is a campaign's name, not a thing: it is compared like an unnamed threshold
    shop = _claims("web/a.html", _page("rad.de", "<p>Zubehör liefern wir ab 60 € Bestellwert versandkostenfrei.</p>", "de"), "de")
    news = _claims("mail/n.eml", _mail("news@rad.de", "Frühlingsstart: Zubehör versandkostenfrei ab 50 €"), "de", "email")
    [finding] = compare(shop + news)
    assert finding.rule == "contradiction/free-shipping-threshold"


def test_every_item_of_a_list_takes_the_label_the_list_follows() -> None:
    page = _page("batik.id", "<h2>Estimasi waktu pengiriman</h2><ul><li>Bandung Raya: 1–2 hari kerja</li>"
                             "<li>Pulau Jawa: 2–4 hari kerja</li><li>Luar Pulau Jawa: 4–7 hari kerja</li></ul>", "id")
    found = _facts(_claims("web/kirim.html", page, "id"), "delivery-time")
    assert found == {("bandung raya", (), "1–2 business days"), ("pulau jawa", (), "2–4 business days"),
                     ("luar pulau jawa", (), "4–7 business days")}
    # a confirmation naming the region is compared with that region's line only
    mail = _claims("mail/k.eml", _mail("halo@batik.id", "Untuk tujuan Pulau Jawa, paket biasanya tiba dalam 5–7 hari kerja."), "id", "email")
    [finding] = compare(_claims("web/kirim.html", page, "id") + mail)
    assert "of pulau jawa" in finding.message and "2–4" in finding.message and "5–7" in finding.message


def test_a_pages_table_against_its_own_text_is_a_contradiction() -> None:
    page = _page("sprache.de", "<table><tr><th>Kurs</th><th>Preis</th></tr><tr><td>Abendkurs</td><td>290 €</td></tr>"
                               "<tr><td>Intensivkurs</td><td>420 €</td></tr></table>"
                               "<h2>FAQ</h2><p>Der Intensivkurs kostet 440 € für vier Wochen.</p>", "de")
    [finding] = compare(_claims("web/kurse.html", page, "de"))
    assert finding.rule == "contradiction/price" and "in the table" in finding.message and "EUR 440" in finding.message
    # two values in one row (without and with VAT) are two cases, not a conflict
    row = _page("cloud.jp", "<table><tr><th>Plan</th><th>Net</th><th>Gross</th></tr>"
                            "<tr><td>Pro</td><td>¥7,980/month</td><td>¥8,778/month</td></tr></table>")
    assert compare(_claims("web/pricing.html", row)) == []


def test_under_a_header_row_the_first_cell_names_the_row() -> None:
    page = _page("rad.de", "<table><tr><th>Modell</th><th>Schaltung</th><th>Gewicht</th><th>Preis</th></tr>"
                           "<tr><td>Elbtal Gravel GX</td><td>SRAM Apex, 11 Gänge</td><td>9,9 kg</td><td>1.899 €</td></tr>"
                           "<tr><td>Lunde spisebord 180 × 90 cm</td><td>–</td><td>30 kg</td><td>6 490 kr</td></tr></table>", "de")
    assert {s for s, _, _ in _facts(_claims("web/modelle.html", page, "de"), "price")} == {"elbtal gravel gx", "lunde spisebord 180 × 90 cm"}


def test_a_question_before_an_offer_and_a_per_user_price_are_conditions() -> None:
    student = _claims("p.txt", "Punya kartu pelajar? Nikmati Sawargi Hemat seharga Rp169.000 per bulan.", "id", "draft")
    assert _facts(student, "price") == {(None, ("student",), "IDR 169,000 per month")}
    seats = _claims("p.txt", "Additional users on Pro cost ¥500 per user per month.", channel="draft")
    assert {c for _, c, _ in _facts(seats, "price")} == {("per-person",)}


def test_money_saved_is_no_price() -> None:
    saved = _claims("p.txt", "Det betyr kr 7 900 spart på et batteri på 10 kWh! Legg til et batteri for kr 79 000.", "nb", "draft")
    assert {d for _, _, d in _facts(saved, "price")} == {"NOK 79,000"}
    off = _claims("p.txt", "Get €10 off your first order. Save £5 on Pro. Pro is £29 a month.", channel="draft")
    assert _facts(off, "price") == {("pro", (), "GBP 29 per month")}


def test_a_word_list_holding_a_yaml_boolean_is_refused_with_the_file_and_key(tmp_path: Path) -> None:
    from commlint.claims.knowledge import KnowledgeError
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "xx.yaml").write_text("language: xx\nsavings: [save, off]\n", encoding="utf-8")
    with pytest.raises(KnowledgeError, match=r"xx\.yaml, key 'savings': False is not text; quote it"):
        load_knowledge([tmp_path])


def test_a_part_named_in_two_languages_is_one_subject() -> None:
    norwegian = _claims("web/sol.html", _page("havsol.no", "<p>Panelene har 25 års produktgaranti og vekselretteren 10 år.</p>", "nb"), "nb")
    english = _claims("mail/o.eml", _mail("ordre@havsol.no", "Solar panels: 25-year product warranty\n\nInverter: 12-year warranty"), "en", "email")
    [finding] = compare(norwegian + english)
    assert "of inverter" in finding.message and "144 months" in finding.message and "120 months" in finding.message
    # a DM on Instagram is a channel of its own, not the e-mail reply time
    dm = _claims("p.txt", "Send us a DM on Instagram. We reply within 2 hours.", channel="draft")
    assert _facts(dm, "response-time") == {("social", (), "2 hours")}


def test_a_fee_named_after_a_cue_cues_nothing_and_payout_words_are_read() -> None:
    fee = _claims("p.txt", "We refund the amount minus any cancellation fee within 7 business days of your cancellation.", channel="draft")
    assert _facts(fee, "refund-payout") == {(None, (), "7 business days")} and _facts(fee, "refund-window") == set()
    ja = _claims("p.txt", "お支払い額からキャンセル料を差し引いた金額を、キャンセル手続き完了から7営業日以内にご返金いたします。", "ja", "draft")
    assert _facts(ja, "refund-payout") == {(None, (), "7 business days")}
    # applying for a refund within a period is the refund window
    window = _claims("p.txt", "未使用のチケットは、購入日から14日以内であれば、マイページから払い戻しを申請いただけます。", "ja", "draft")
    assert _facts(window, "refund-window") == {(None, (), "14 days")}
    back = _claims("p.txt", "Unopened bags can be returned within 14 days for a full refund, which we pay back within 5 working days.", channel="draft")
    assert _facts(back, "refund-payout") == {(None, (), "5 business days")}
    su = _claims("p.txt", "Artos ditransfer ka rekening anjeun dina 14 poé damel saatos pembatalan dikonfirmasi.", "su", "draft")
    assert _facts(su, "refund-payout") == {(None, (), "14 business days")}


def test_a_shop_or_a_channel_is_not_what_a_price_is_for() -> None:
    shop = _claims("p.txt", "Everyone else can grab a bag in the shop – free UK delivery on orders over £30.", channel="draft")
    assert _facts(shop, "price") == set() and _facts(shop, "free-shipping-threshold") == {(None, (), "GBP 30")}


def test_posts_of_an_export_that_names_no_account_are_compared_with_nothing() -> None:
    # a run of drafts with no sender is one team's copy; an export of posts with no account
    # column is as likely the public's words, so its posts are unattributed
    result, unattributed = attribute({"posts.csv#1": None, "posts.csv#2": None}, {"posts.csv#1": "posts.csv", "posts.csv#2": "posts.csv"},
                                     frozenset({"posts.csv#1", "posts.csv#2"}))
    assert result == {"posts.csv#1": None, "posts.csv#2": None} and unattributed == ["posts.csv#1", "posts.csv#2"]
    drafts, none = attribute({"a.txt": None, "b.txt": None}, {"a.txt": "a.txt", "b.txt": "b.txt"})
    assert drafts == {"a.txt": "", "b.txt": ""} and none == []


def test_a_deadline_counted_back_from_an_event_is_a_window_of_its_own() -> None:
    rental = _claims("p.txt", "You can cancel free of charge up to 48 hours before your pick-up time. "
                              "Refunds are possible within 30 days of purchase.", channel="draft")
    assert _facts(rental, "refund-window") == {(None, ("before the start",), "2 days"), (None, (), "30 days")}
    ja = _claims("p.txt", "ご出発の3日前までのキャンセルは無料です。", "ja", "draft")
    assert _facts(ja, "refund-window") == {(None, ("before the start",), "3 days")}
    # a reminder before renewal and a last day to book early are still no promised period
    reminder = _claims("p.txt", "We will remind you 7 days before renewal. Book up to 60 days before arrival.", channel="draft")
    assert _facts(reminder, "refund-window") == set()
    # deadlines before the start against each other are compared
    site = _claims("web/faq.html", _page("kaze.jp", "<p>You can cancel free of charge up to 48 hours before pick-up.</p>"))
    mail = _claims("mail/b.eml", _mail("booking@kaze.jp", "You can cancel free of charge up to 3 days before pick-up."), "en", "email")
    [finding] = compare(site + mail)
    assert finding.rule == "contradiction/refund-window" and "before the start" in finding.message


def test_two_language_versions_of_a_table_compare_rows_with_long_or_plain_names() -> None:
    norwegian = _page("smil.no", "<table><tr><th>Behandling</th><th>Pris</th></tr>"
                                 "<tr><td>Årskontroll med undersøkelse og to røntgenbilder</td><td>1 190 kr</td></tr>"
                                 "<tr><td>Tannrens og polering hos tannpleier</td><td>790 kr</td></tr>"
                                 "<tr><td>Akuttime inkl. undersøkelse</td><td>1 450 kr</td></tr>"
                                 "<tr><td>Helkeramisk krone</td><td>8 900 kr</td></tr></table>", "nb")
    english = _page("smil.no", "<table><tr><th>Treatment</th><th>Price</th></tr>"
                               "<tr><td>Annual check-up incl. two X-rays</td><td>NOK 1,290</td></tr>"
                               "<tr><td>Scale and polish with a dental hygienist</td><td>NOK 790</td></tr>"
                               "<tr><td>Emergency appointment incl. examination</td><td>NOK 1,450</td></tr>"
                               "<tr><td>All-ceramic crown</td><td>NOK 8,900</td></tr></table>")
    [finding] = compare(_claims("web/priser.html", norwegian, "nb") + _claims("web/en/prices.html", english))
    assert "NOK 1,190" in finding.message and "NOK 1,290" in finding.message
    # a column headed "yearly" says the period, which the price carries: the row names the plan
    german = _page("klang.de", "<table><tr><th>Abo</th><th>monatlich</th><th>jährlich</th></tr>"
                               "<tr><td>Klangbuch Solo</td><td>9,99 €</td><td>99,00 €</td></tr>"
                               "<tr><td>Klangbuch Familie</td><td>14,99 €</td><td>149,00 €</td></tr>"
                               "<tr><td>Klangbuch Student</td><td>4,99 €</td><td>–</td></tr></table>", "de")
    english = _page("klang.de", "<table><tr><th>Plan</th><th>Billed monthly</th><th>Billed yearly</th></tr>"
                                "<tr><td>Solo</td><td>€9.99</td><td>€99.00</td></tr>"
                                "<tr><td>Family</td><td>€14.99</td><td>€159.00</td></tr>"
                                "<tr><td>Student</td><td>€4.99</td><td>–</td></tr></table>")
    [finding] = compare(_claims("web/de/preise.html", german, "de") + _claims("web/en/pricing.html", english))
    assert "EUR 149 per year" in finding.message and "EUR 159 per year" in finding.message


def test_a_column_the_company_pays_out_holds_no_prices() -> None:
    page = _page("zweit.de", "<table><tr><th>Gerät</th><th>Wir zahlen bis zu</th></tr>"
                             "<tr><td>MacBook Air M1, 256 GB</td><td>380 €</td></tr></table>", "de")
    assert _facts(_claims("web/ankauf.html", page, "de"), "price") == set()


def test_hours_with_their_days_after_them_are_read_but_counts_of_days_are_not() -> None:
    en = _claims("p.txt", "Our phone line is open 9 a.m. to 5 p.m. on weekdays.", channel="draft")
    assert _facts(en, "support-hours") == {(None, (), "Mon–Fri 09:00–17:00")}
    ja = _claims("p.txt", "受付時間：9:00〜18:00（土日祝・年末年始を除く）", "ja", "draft")
    assert _facts(ja, "support-hours") == {(None, (), "Mon–Fri 09:00–18:00")}
    # "1–2 hari kerja" is a number of working days, and the next hours keep their own day
    counts = _claims("p.txt", "Layanan pelanggan buka Senin–Jumat 08.00–17.00, Sabtu 09.00–12.00. Pengiriman 1–2 hari kerja.", "id", "draft")
    assert {d for _, _, d in _facts(counts, "support-hours")} == {"Mon–Fri 08:00–17:00", "Sat 09:00–12:00"}
    # an inbox keeps no hours: the hours after "E-post: …" are the phone line's
    mail = _claims("p.txt", "Telefon: 22 41 86 30 E-post: kundeservice@villmark.no Åpningstider: mandag–fredag 09.00–17.00", "nb", "draft")
    assert _facts(mail, "support-hours") == {(None, (), "Mon–Fri 09:00–17:00")}


def test_a_national_number_in_a_language_not_written_in_the_senders_country() -> None:
    tokyo = _claims("mail/a.eml", _mail("desk@nusa.co.id", "東京デスク TEL：03-5555-0182（平日10:00〜18:00）"), "ja", "email")
    jakarta = _claims("mail/b.eml", _mail("desk@nusa.co.id", "コールセンター：021-2953-8170"), "ja", "email")
    assert {c.display for c in tokyo + jakarta if c.fact == "phone"} == {"+81 3-5555-0182", "+62 21 29538170"}


def test_a_rows_own_name_may_carry_a_model_number_but_not_an_amount() -> None:
    page = _page("kilat.co.id", "<table><tr><th>Model</th><th>New battery</th></tr>"
                                "<tr><td>iPhone 13</td><td>IDR 695,000</td></tr></table>")
    assert {s for s, _, _ in _facts(_claims("web/prices.html", page), "price")} == {"iphone 13 · battery"}
    fees = _page("auen.de", "<table><tr><th>Bestellwert</th><th>Versandkosten</th></tr>"
                            "<tr><td>Bestellwert unter 29 €</td><td>3,95 €</td></tr></table>", "de")
    assert "bestellwert unter 29 €" not in {s for s, _, _ in _facts(_claims("web/versand.html", fees, "de"), "price")}


def test_split_verbs_and_free_weeks_are_read_as_their_facts() -> None:
    de = _claims("p.txt", "Ist die Leitung besetzt, hinterlass deine Nummer – wir rufen dich innerhalb von 30 Minuten zurück.", "de", "draft")
    assert _facts(de, "callback-time") == {(None, (), "30 minutes")}
    en = _claims("p.txt", "New to audiobooks? Two weeks on us. Premium annual is NOK 1,290 a year – two months on us.", channel="draft")
    assert _facts(en, "trial-length") == {(None, (), "14 days")}
