"""Whether a sentence makes the claim its marker suggests, decided by classes rather than phrases:
negation over a list of verbs, a contract's register, a step of a procedure, a template token
talked about; words that blame only together (`kind: together`); repeated paragraphs that are
paste errors rather than page structure; brand spellings; the reader's own words; and a block of
a Bokmål page that scores as Danish. In-process, through the same rule set the CLI builds."""
from __future__ import annotations

from email.message import EmailMessage

import pytest

from commlint.claims import compare, extract_claims, load_knowledge
from commlint.claims.compare import _coined
from commlint.config import Config
from commlint.packs import builtin_pack_folder
from commlint.extraction import ExtractOptions, extract
from commlint.extraction.language import detect_blocks
from commlint.rules.spec import RuleFileError
from commlint.runner import build_ruleset, lint_documents, lint_text, load_rules
from commlint.sources import SourceData, SourceRef


@pytest.fixture(scope="module")
def ruleset():
    config = Config()
    return build_ruleset(config, None, (), load_rules(config))


def rules_of(ruleset, text: str, lang: str = "en", channel: str = "web") -> set[str]:
    return {f.rule for f in lint_text(text, ruleset, lang=lang, channel=channel)}


# -- negation over a list, the legal register -------------------------------------------------
@pytest.mark.parametrize("text", [
    "We do not expressly or implicitly endorse, support, or guarantee the completeness of any content.",
    "Zora does not verify, endorse, or guarantee the accuracy of any listing.",
    "It is impossible to guarantee that the service will be uninterrupted.",
])
def test_a_negator_covers_every_verb_of_its_list(ruleset, text: str) -> None:
    assert "overpromise/guarantee" not in rules_of(ruleset, text)


def test_a_clause_of_its_own_after_a_negation_keeps_its_claim(ruleset) -> None:
    # "…, det garanterer vi": one short clause is not a list
    assert "overpromise/guarantee" in rules_of(ruleset, "Flybilletten blir ikke billigere noe annet sted, det garanterer vi.", "nb")
    assert "overpromise/guarantee" in rules_of(ruleset, "We never close early, and we guarantee a reply the same day.")


def test_a_contract_s_own_register_is_no_marketing_claim_nor_shouting(ruleset) -> None:
    legal = "THE ARBITRATOR MAY NOT PRESIDE OVER ANY FORM OF A CLASS OR REPRESENTATIVE PROCEEDING UNDER THIS AGREEMENT."
    assert "tone/shouting" not in rules_of(ruleset, legal)
    assert "overpromise/guarantee" not in rules_of(ruleset, "The licensor hereby guarantees the rights granted under these terms.")
    # the same words outside a contract still count
    assert "tone/shouting" in rules_of(ruleset, "ORDER TODAY BEFORE YOUR NEIGHBOURS TAKE ALL THE SLOTS.")
    assert "overpromise/guarantee" in rules_of(ruleset, "We guarantee delivery the next day.")


# -- promises to act ----------------------------------------------------------------------------
def test_a_step_of_a_procedure_is_not_a_wait(ruleset) -> None:
    assert "wait-time/no-time-given" not in rules_of(ruleset, "Dokter akan memeriksa kondisi gigi dan gusi Anda lebih dulu.", "id")
    assert "wait-time/no-time-given" in rules_of(ruleset, "Tim kami akan menghubungi Anda.", "id")


@pytest.mark.parametrize("text", [
    "We will respond to your request within a period of 15 days.",
    "We will honour it within fifteen (15) business days.",
    "Claims are reviewed within a 90-day period and we will respond as soon as possible.",
    "We expect a fix soon – within the next hour.",
    "We will reopen the road as soon as possible, and no later than Friday 13 June.",
])
def test_a_concrete_time_written_in_legal_or_spoken_style_counts(ruleset, text: str) -> None:
    assert not {r for r in rules_of(ruleset, text) if r.startswith("wait-time/")}


def test_the_reader_s_own_duty_is_no_promise(ruleset) -> None:
    assert "wait-time/vague-response" not in rules_of(ruleset, "You will monitor delivery of the ads, and will notify us as soon as possible of any problem.")
    assert "wait-time/vague-response" in rules_of(ruleset, "We will reply as soon as possible.")


# -- template tokens ----------------------------------------------------------------------------
def test_a_merge_tag_talked_about_or_a_field_to_fill_in_is_no_leftover(ruleset) -> None:
    assert "placeholder/merge-tag" not in rules_of(ruleset, "The template uses the merge field {{first_name}} in the greeting.")
    assert "placeholder/merge-tag" in rules_of(ruleset, "Hi {{first_name}}, your order has shipped.")
    # the token's own words don't count as talk about it
    assert rules_of(ruleset, "Hatur nuhun @[eusian akun] parantos ngiringan kuis!", "su") & {"placeholder/leftover", "placeholder/merge-tag"}


# -- kind: together -----------------------------------------------------------------------------
@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Das haben wir Ihnen gestern schon gesagt."),
    ("de", "Wie wir Ihnen bereits in unserer E-Mail vom 9. Oktober erklärt haben, ist die Gebühr fällig."),
    ("en", "As I told you yesterday already, the part is on order."),
    ("id", "Sudah kami jelaskan berkali-kali bahwa biaya admin tidak dapat dikembalikan."),
    ("ja", "何度もご説明しておりますが、手数料は返金できません。"),
])
def test_reproach_is_found_in_any_word_order(ruleset, lang: str, text: str) -> None:
    # (where an older phrase rule also matches, one tone finding is kept for the span)
    assert {"tone/already-told", "tone/defensive"} & rules_of(ruleset, text, lang)
    assert "tone/already-told" in rules_of(ruleset, "Pertanyaan ini sudah dijawab berulang kali di kolom komentar.", "id")


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Wie bereits angekündigt, erhalten Sie ab Juli eine neue Karte."),
    ("en", "Customers said the new checkout is twice as fast."),
    ("nb", "Som jeg allerede har forklart to ganger til kundeservice: ruteren virker ikke!"),
])
def test_the_same_words_apart_are_no_reproach(ruleset, lang: str, text: str) -> None:
    assert "tone/already-told" not in rules_of(ruleset, text, lang)


def test_together_rules_are_checked_when_loaded(tmp_path) -> None:
    from commlint.rules.spec import parse_rule
    from commlint.rules.together import TogetherMatcher

    config = Config()
    ruleset = build_ruleset(config, None, (), load_rules(config))
    profile = ruleset.profile("en")
    examples = {"flag": ["told twice"], "pass": ["fine"]}
    bad = parse_rule({"id": "tone/x", "kind": "together", "severity": "warning", "message": "m", "examples": examples,
                      "groups": {"only": ["one"]}}, "pack.yaml", ("en",))
    with pytest.raises(RuleFileError, match="groups"):
        TogetherMatcher(bad, profile)
    far = parse_rule({"id": "tone/y", "kind": "together", "severity": "warning", "message": "m", "reach": 10, "examples": examples,
                      "groups": {"a": ["told"], "b": ["twice"]}}, "pack.yaml", ("en",))
    matcher = TogetherMatcher(far, profile)
    assert matcher._in_sentence(matcher._found(matcher.sets[0], "told twice"), 0, 10) == (0, 10)
    assert matcher._in_sentence(matcher._found(matcher.sets[0], "told you and everyone around here twice"), 0, 39) is None
    assert matcher._found(matcher.sets[0], "told once") is None  # a group with no word: nothing to look for


# -- repeated paragraphs --------------------------------------------------------------------------
def test_a_pasted_paragraph_is_found_and_a_template_is_not(ruleset) -> None:
    pasted = "Our team is here every weekday. Call us on 0800 123 456.\n\nPrices include VAT and delivery to your door.\n\nOur team is here every weekday. Call us on 0800 123 456."
    assert "duplicate/paragraph" in rules_of(ruleset, pasted)
    block = "Call the assisted travel team on 0800 123. Lines are open every day."
    routes = "\n\n".join(f"Route {n} runs from the station square to the airport.\n\n{block}" for n in range(3))
    assert "duplicate/paragraph" not in rules_of(ruleset, routes)
    reference = "See our Returns Policy for the details of each case."
    spread = "\n\n".join([reference] + [f"Paragraph number {n} says something different about returns." for n in range(5)] + [reference])
    assert "duplicate/paragraph" not in rules_of(ruleset, spread)


# -- names, the reader's words, block languages ----------------------------------------------------
def test_only_coined_names_have_a_house_spelling() -> None:
    assert _coined("NordlysFiber", "nb") and _coined("Epassi Service", "en")
    assert not _coined("Third-Party", "en") and not _coined("Support-Team", "de")


def _doc(name: str, text: str, lang: str):
    ref = SourceRef(path=name, format="text", channel="web", location=None, explicit=True)
    (doc,) = extract(SourceData(ref, text.encode()), ExtractOptions(lang=lang), [])
    return doc


def test_a_name_is_spelled_by_the_conventions_of_its_own_language(ruleset) -> None:
    english = "Block trackers with the Sky Blokker. The Sky Blokker is free. Get the Sky Blokker today.\n"
    german = "Mit dem Sky-Blokker surfen Sie schneller. Holen Sie sich den Sky-Blokker noch heute.\n"
    knowledge = load_knowledge([builtin_pack_folder()])

    def misspelled(*docs) -> list[str]:
        claims = [c for doc in docs for c in extract_claims(doc, knowledge)]
        return [f.path for f in compare(claims) if f.rule == "terminology/spelling"]

    assert misspelled(_doc("en.txt", english, "en"), _doc("de.txt", german, "de")) == []
    # the same slip inside one language is still found
    slip = "Laden Sie den SkyBlokker kostenlos herunter.\n"
    assert misspelled(_doc("a.txt", german, "de"), _doc("b.txt", slip, "de")) == ["b.txt"]


def test_a_term_from_the_reader_s_own_message_is_known_to_them(ruleset) -> None:
    message = EmailMessage()
    message["From"] = "Support <help@example.com>"
    message["To"] = "dev@example.org"
    message["Subject"] = "Re: webhook signature fails"
    message.set_content("Hi Sam,\n\nThe webhook signature uses the raw body; VLAN and MTU settings play no part.\n\nBest,\nAnna\n\n"
                        "On Mon, Sam wrote:\n> Our webhook check fails on the VLAN of the staging server, whatever the MTU.\n")
    ref = SourceRef(path="reply.eml", format="eml", channel="email", location=None, explicit=True)
    (doc,) = extract(SourceData(ref, message.as_bytes()), ExtractOptions(lang="en"), [])
    _, findings = lint_documents([doc], ruleset, Config())
    assert not [f.rule for f in findings if f.category == "jargon"], [(f.rule, f.excerpt) for f in findings]
    # the same words, never used by the reader, are jargon
    assert "jargon/rare-term" in rules_of(ruleset, "Your VLAN and MTU settings play no part in it.")


def test_an_acronym_alone_is_left_to_its_readers_but_a_sentence_of_them_is_jargon(ruleset) -> None:
    """On real pages a lone acronym is mostly a name or the readers' own term ("insured by the
    FDIC", "the MSI installer"); copy that loses its customer leans on several at once."""
    assert "jargon/rare-term" not in rules_of(ruleset, "Your deposits are insured by the FDIC.")
    assert "jargon/rare-term" in rules_of(ruleset, "The BMS balances every cell and the MPPT handles the panels.")


def test_a_term_is_reported_where_the_reader_first_meets_it(ruleset) -> None:
    text = "The BMS balances every cell and the MPPT handles the panels.\n\nThe BMS and the MPPT need no care.\n\nAsk us about the BMS and MPPT."
    findings = [f for f in lint_text(text, ruleset, lang="en", channel="web") if f.rule == "jargon/rare-term"]
    assert sorted(f.line for f in findings) == [1, 1]


def test_a_page_with_code_is_for_developers(ruleset) -> None:
    """A reply that carries code or configuration is written for a developer: the terms of the
    trade are the reader's own (API docs, a support answer with a snippet)."""
    prose = "Your HMAC check fails because the JSON is parsed and serialised again before the HMAC is made."
    with_code = prose + "\n\n```\nconst expected = crypto.createHmac('sha256', secret).update(rawBody).digest('hex');\n```\n"
    ref = SourceRef(path="reply.md", format="markdown", channel="email", location=None, explicit=True)
    (doc,) = extract(SourceData(ref, with_code.encode()), ExtractOptions(lang="en"), [])
    assert any(block.kind == "code" for block in doc.blocks)
    _, findings = lint_documents([doc], ruleset, Config())
    assert not [f.rule for f in findings if f.category == "jargon"], [(f.rule, f.excerpt) for f in findings]
    assert "jargon/rare-term" in rules_of(ruleset, prose)


@pytest.mark.parametrize("text", [
    "We are always improving our services.",
    "Protecting your privacy has always been our priority.",
    "Get the browser that puts your privacy first, and always has.",
    "So always make sure your phone number is up to date.",
    "We do not guarantee that the site, or any content on it, will always be available.",
    "These terms of service govern your use of the app. Disputes go to arbitration under the governing law. You always have to pay the fees in the agreement. Parcels always arrive on time.",
])
def test_efforts_histories_advice_disclaimers_and_contracts_are_not_absolute_claims(ruleset, text: str) -> None:
    assert "overpromise/absolute" not in rules_of(ruleset, text)


def test_a_bokmal_block_is_not_moved_to_danish_or_swedish() -> None:
    texts = ["Tak for din bestilling, pakken sendes fra vores lager i morgen tidlig, og du får en mail med sporing."]
    assert detect_blocks(texts, "nb") == [None]
    assert detect_blocks(texts, "en")[0] in (None, "da")


def test_a_whole_contract_sets_its_notices_in_capitals_by_law(ruleset) -> None:
    notice = "YOU MUST PROVIDE CURRENT, COMPLETE AND ACCURATE INFORMATION FOR YOUR BILLING ACCOUNT."
    terms = ("These terms of service govern your use of the app. The governing law is the law of Norway. "
             "Disputes go to arbitration. Nothing here limits your rights under applicable law.\n\n" + notice)
    assert "tone/shouting" not in rules_of(ruleset, terms)
    assert "tone/shouting" in rules_of(ruleset, "Thanks for joining our newsletter.\n\n" + notice)
    # a guarantee in a contract is a term of it; the same words in an advert are a promise
    assert "overpromise/guarantee" not in rules_of(ruleset, terms + "\n\nWe guarantee the rights granted to you.")
    assert "overpromise/guarantee" in rules_of(ruleset, "We guarantee delivery the next day.")


def test_a_word_processor_export_keeps_one_paragraph_per_line_despite_a_salutation() -> None:
    """One soft break ("Liebe Mieterinnen und Mieter," before a lower-case line) is German letter
    style, not hard wrapping: the lines stay paragraphs, and a pasted line is found."""
    repeated = "Bitte räumen Sie vor dem Termin die Fensterbänke frei. Die Handwerker brauchen Platz."
    text = "\n".join([
        "Liebe Mieterinnen und Mieter,",
        "im Frühjahr tauschen wir in allen Wohnungen die alten Fenster gegen neue aus.",
        "Der Austausch dauert pro Wohnung etwa einen Tag.",
        repeated,
        "Den genauen Termin bestätigen wir Ihnen bis zum 1. März.",
        repeated,
        "Mit freundlichen Grüßen",
    ])
    ref = SourceRef(path="brief.txt", format="text", channel="draft", location=None, explicit=True)
    (doc,) = extract(SourceData(ref, text.encode()), ExtractOptions(lang="de"), [])
    assert sum(b.kind == "paragraph" for b in doc.blocks) >= 5
    config = Config()
    _, findings = lint_documents([doc], build_ruleset(config, None, (), load_rules(config)), config)
    assert [f.line for f in findings if f.rule == "duplicate/paragraph"] == [6]


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "You obviously haven't restarted the router as we asked."),
    ("de", "Ein Großteil der Probleme entstand, weil Nutzer die Anleitung schlicht ignoriert haben."),
    ("nb", "Dette står i prislisten, så les den før du kontakter oss."),
    ("id", "Keterlambatan ini sepenuhnya terjadi karena Bapak tidak melampirkan dokumen."),
])
def test_blame_is_found_by_its_classes(ruleset, lang: str, text: str) -> None:
    assert "tone/reader-blamed" in rules_of(ruleset, text, lang)


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "Wir haben es leider versäumt, Sie über die Verzögerung zu informieren."),  # our own fault
    ("de", "Zusätzlich werden alle, die falsche Berichte abgeben, so behandelt, als hätten sie die Regeln ignoriert."),  # sie: they
    ("en", "If the payment failed to go through, try another card."),
    ("id", "Transfer yang gagal tidak memotong saldo Anda."),
])
def test_an_apology_a_condition_or_a_third_person_is_no_blame(ruleset, lang: str, text: str) -> None:
    assert "tone/reader-blamed" not in rules_of(ruleset, text, lang)


def test_a_signature_under_a_rule_line_and_booking_fields_are_not_prose() -> None:
    mail = ("山口 恵美 様\n\nご予約ありがとうございます。\n\nよろしくお願いいたします。\n\n-----------------------------\n"
            "潮騒リゾート白浜 ご予約係\n川村 彩花\n〒649-2211 和歌山県西牟婁郡白浜町磯浜1-5\n電話：0739-42-8800（9時〜20時）\n")
    ref = SourceRef(path="m.txt", format="text", channel="email", location=None, explicit=True)
    (doc,) = extract(SourceData(ref, mail.encode()), ExtractOptions(lang="ja"), [])
    assert [b.kind for b in doc.blocks][-1] == "signature"
    booking = "Hei Kari,\n\ntakk for bestillingen. Her er detaljene\nfor oppholdet ditt:\nBestillingsnummer: B-20918\nAnkomst: lørdag 27. desember\nRom: Fjordrom\n"
    (doc,) = extract(SourceData(ref, booking.encode()), ExtractOptions(lang="nb"), [])
    texts = [doc.block_text(b) for b in doc.blocks]
    assert "takk for bestillingen. Her er detaljene for oppholdet ditt:" in texts  # wrapped lines joined
    assert "Ankomst: lørdag 27. desember" in texts  # each field its own block


def test_a_mail_that_explains_merge_tags_shows_them_as_examples(ruleset) -> None:
    """Support explains to a customer how her newsletter tool fills in names: the tokens are the
    answer, not fields the sender forgot (the document says the system replaces them)."""
    answer = ("Hi Randi,\n\nYes! Type {{first_name}} where the name should go. When the newsletter goes out, "
              "the tag is replaced with each reader's first name.\n\nBest,\nOle")
    assert "placeholder/merge-tag" not in rules_of(ruleset, answer)
    assert "placeholder/merge-tag" in rules_of(ruleset, "Hi {{first_name}},\n\nYour order is on its way.")
    svar = "Hei Randi,\n\nSkriv {{fornavn}} der navnet skal stå. Når nyhetsbrevet sendes, bytter systemet ut {{fornavn}} med fornavnet."
    assert "placeholder/merge-tag" not in rules_of(ruleset, svar, lang="nb")


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We'll post here when we know more about the evening departures."),
    ("en", "We will come back to you when the investigation is complete."),
    ("en", "We're watching the forecast for this evening's flights and will share more news as soon as we can."),
    ("en", "We're working to get everyone back online ASAP."),
    ("nb", "Vi vil informere deg om de nye prisene når de er fastsatt."),
])
def test_a_promise_that_waits_on_progress_gives_no_time(ruleset, lang: str, text: str) -> None:
    assert any(rule.startswith("wait-time/") for rule in rules_of(ruleset, text, lang=lang))


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "We'll email you when your parcel ships."),
    ("de", "Sobald die Internet-Lampe dauerhaft leuchtet, sind Sie online."),
    ("de", "Entkalken Sie die Maschine, sobald die orangefarbene Lampe leuchtet."),
    ("nb", "Du får SMS når den er klar til henting."),
    ("nb", "I november lovet vi å komme tilbake med detaljer om ruteplanen."),
    ("ja", "深夜にお電話をいただいたにもかかわらず、すぐに対応できなかったのは私どもの落ち度です。"),
    ("ja", "ご質問には、順番に、2診療日以内にお返事いたします。"),
])
def test_events_states_past_promises_and_counted_days_keep_nobody_waiting(ruleset, lang: str, text: str) -> None:
    assert not any(rule.startswith("wait-time/") for rule in rules_of(ruleset, text, lang=lang))


@pytest.mark.parametrize(("lang", "text"), [
    ("en", "Switch to Unlimited 50 today and keep your number."),
    ("su", "Paket Unlimited 50"),
    ("nb", "Tips: Send alltid en test til deg selv før du sender til hele listen."),
])
def test_plan_names_with_numbers_and_tips_to_the_reader_are_no_claims(ruleset, lang: str, text: str) -> None:
    assert not any(rule.startswith("overpromise/") for rule in rules_of(ruleset, text, lang=lang))
    assert "overpromise/guarantee" in rules_of(ruleset, "Guaranteed 100% uptime for every customer.")


def test_a_long_sentence_and_a_formal_word_in_it_are_two_problems(ruleset) -> None:
    text = ("Prior to the commencement of any permanent repair work, and in any event no later than the date on "
            "which the loss or damage was first discovered, the customer must notify the company in writing of "
            "the nature and extent of the loss.")
    assert {"readability/long-sentence", "readability/plain-words"} <= rules_of(ruleset, text)


def test_a_formal_word_in_a_sentence_of_jargon_gives_way_to_the_jargon_finding(ruleset) -> None:
    # yields_to: [jargon] on readability/plain-words: the jargon finding names what to fix
    jargon = "Prior to the upgrade, your ONT will show a LOS alarm on the OLT port."
    found = rules_of(ruleset, jargon)
    assert any(rule.startswith("jargon/") for rule in found) and "readability/plain-words" not in found
    plain = "Prior to the upgrade we will send you a short letter."
    assert "readability/plain-words" in rules_of(ruleset, plain)


def test_a_programme_named_more_than_once_is_a_name_but_a_repeated_slogan_is_not(ruleset) -> None:
    page = ("Best Price Guarantee\n\nBook direct with our Best Price Guarantee: find the same room cheaper "
            "within 24 hours and we refund the difference.\n")
    assert "overpromise/guarantee" not in rules_of(ruleset, page)
    slogan = "Guaranteed Delivery by Friday.\n\nGuaranteed Delivery by Friday.\n"
    assert "overpromise/guarantee" in rules_of(ruleset, slogan)
