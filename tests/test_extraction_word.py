"""Word drafts (.docx): real documents written by python-docx in each test, read back by
commlint. Findings point at paragraph numbers; comments, tracked deletions and hidden text are
never checked; damaged files and zip bombs are errors naming the file, and the run goes on."""
from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml

from commlint.cli import main
from commlint.model import ExtractionError

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
COMMENT = "We guarantee this never fails."


def write_draft(path: Path) -> Path:
    """Paragraph 1 a heading, 2 copy with a comment on its second sentence, 3 empty, 4-7 a
    2x2 table (a header row, then a cell that promises a call "shortly"), 8 a list item."""
    document = docx.Document()
    document.add_heading("Returns and support", level=1)
    paragraph = document.add_paragraph("We will get back to you soon. ")
    commented = paragraph.add_run("Please utilize the form.")
    document.add_comment([commented], text=COMMENT, author="Ann", initials="A")
    document.add_paragraph("")
    table = document.add_table(rows=2, cols=2)
    for cell, text in zip(table._cells, ["Plan", "Reply", "Pro", "Our team will contact you shortly."]):
        cell.text = text
    document.add_paragraph("Refunds within 30 days", style="List Bullet")
    document.save(str(path))
    return path


def extract_docx(data: bytes, path: str, channel: str):  # type: ignore[no-untyped-def]
    from commlint.extraction.word import extract_docx as extract  # (imported at use: the CLI tests show what a commlint without it does)

    return extract(data, path, channel)


def blocks_of(doc) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    return [(block.kind, doc.block_text(block)) for block in doc.blocks]


def check_json(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    code = main(["check", *args, "--format", "json", "--jobs", "1"])
    return code, json.loads(capsys.readouterr().out)


def test_headings_paragraphs_tables_and_lists_in_reading_order(tmp_path: Path) -> None:
    doc = extract_docx(write_draft(tmp_path / "draft.docx").read_bytes(), "draft.docx", "draft")
    assert blocks_of(doc) == [
        ("heading", "Returns and support"),
        ("paragraph", "We will get back to you soon. Please utilize the form."),
        ("header-cell", "Plan"),  # Word's "Header Row" option is on in the tables it inserts
        ("header-cell", "Reply"),
        ("cell", "Pro"),
        ("cell", "Our team will contact you shortly."),
        ("list-item", "Refunds within 30 days"),
    ]
    assert COMMENT not in doc.text and "Ann" not in doc.text
    # one source line per paragraph, the empty one too: the line number is the paragraph number
    assert doc.positions.source.split("\n")[2] == "" and doc.positions.source.count("\n") == 7
    assert doc.meta["lang"] == "en-US"  # the document's own language, a hint for detection


def test_findings_point_at_paragraph_numbers_and_never_at_comments(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write_draft(tmp_path / "draft.docx")
    code, report = check_json(capsys, "draft.docx")
    assert code == 1 and report["errors"] == []
    assert report["documents"] == [{"path": "draft.docx", "channel": "draft", "lang": "en", "words": report["documents"][0]["words"]}]
    flagged = {(f["rule"], f["line"], f["column"], f["end_column"]) for f in report["findings"]}
    assert ("wait-time/vague-response", 2, 25, 29) in flagged  # "soon", paragraph 2
    assert ("readability/plain-words", 2, 38, 45) in flagged  # "utilize"
    assert ("wait-time/vague-response", 7, 27, 34) in flagged  # "shortly", in the table's last cell
    # the comment's "guarantee" and "never fails" would be overpromises: it is never read
    assert not any(f["category"] == "overpromise" for f in report["findings"])


def test_text_report_shows_the_paragraph_as_the_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    write_draft(tmp_path / "draft.docx")
    assert main(["check", "draft.docx", "--jobs", "1", "--no-color"]) == 1
    out = capsys.readouterr().out
    assert "draft.docx:7:27: warning wait-time/vague-response  [en, draft]" in out
    assert "  7 | Our team will contact you shortly.\n    |                           ^^^^^^^\n" in out


def test_tracked_changes_hidden_text_text_boxes_nested_tables_and_content_controls(tmp_path: Path) -> None:
    document = docx.Document()
    edited = document.add_paragraph("Delivery takes ")
    # a tracked deletion and insertion, as Word writes them with Track Changes on
    edited._p.append(parse_xml(f'<w:del {W_NS} w:id="1" w:author="Ann"><w:r><w:delText>two weeks</w:delText></w:r></w:del>'))
    edited._p.append(parse_xml(f'<w:ins {W_NS} w:id="2" w:author="Ann"><w:r><w:t>3-5 days</w:t></w:r></w:ins>'))
    edited.add_run(".")
    hidden = document.add_paragraph("Visible words. ")
    hidden.add_run("Secret hidden words.").font.hidden = True
    # a text box: Word writes it twice, as a drawing and as an old-style fallback; one is read
    host = document.add_paragraph("Host paragraph.")
    box = ('<w:p><w:r><w:t>Boxed offer text.</w:t></w:r></w:p>')
    host._p.append(parse_xml(
        f'<w:r {W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"'
        ' xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"'
        ' xmlns:v="urn:schemas-microsoft-com:vml"><mc:AlternateContent>'
        f'<mc:Choice Requires="wps"><w:drawing><wps:txbx><w:txbxContent>{box}</w:txbxContent></wps:txbx></w:drawing></mc:Choice>'
        f'<mc:Fallback><w:pict><v:textbox><w:txbxContent>{box}</w:txbxContent></v:textbox></w:pict></mc:Fallback>'
        '</mc:AlternateContent></w:r>'))
    outer = document.add_table(rows=1, cols=1)
    outer.cell(0, 0).text = "Outer cell."
    outer.cell(0, 0).add_table(rows=1, cols=1).cell(0, 0).text = "Inner cell."
    document.element.body.insert(len(document.element.body) - 1, parse_xml(
        f'<w:sdt {W_NS}><w:sdtPr><w:alias w:val="Price"/></w:sdtPr><w:sdtContent>'
        '<w:p><w:r><w:t>Inside a content control.</w:t></w:r></w:p></w:sdtContent></w:sdt>'))
    path = tmp_path / "edited.docx"
    document.save(str(path))
    doc = extract_docx(path.read_bytes(), "edited.docx", "draft")
    assert [text for _, text in blocks_of(doc)] == [
        "Delivery takes 3-5 days.",
        "Visible words.",
        "Host paragraph.",
        "Boxed offer text.",  # after the paragraph that holds it, once
        "Outer cell.",
        "Inner cell.",
        "Inside a content control.",
    ]
    assert "two weeks" not in doc.text and "Secret" not in doc.text


def _rezipped(original: bytes, replace: dict[str, bytes | None]) -> bytes:
    """The same package with some parts replaced (None: left out)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            data = replace.get(name, source.read(name))
            if data is not None:
                target.writestr(name, data)
    return out.getvalue()


def write_zip_bomb(path: Path, original: bytes) -> None:
    """A real document whose word/document.xml is padded past the limit with blank space:
    a few dozen KB on disk, more than 50 MB unpacked."""
    with zipfile.ZipFile(io.BytesIO(original)) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in source.namelist():
            if name != "word/document.xml":
                target.writestr(name, source.read(name))
                continue
            xml = source.read(name)
            cut = xml.index(b"<w:body>")
            with target.open(name, "w") as part:
                part.write(xml[:cut])
                chunk = b" " * (1 << 20)
                for _ in range(50 * (1 << 20) // len(chunk) + 1):  # the limit: 50 MB
                    part.write(chunk)
                part.write(xml[cut:])


def test_damaged_files_and_zip_bombs_are_errors_naming_the_file_and_the_rest_is_checked(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "drafts"
    folder.mkdir()
    original = write_draft(folder / "good.docx").read_bytes()
    (folder / "truncated.docx").write_bytes(original[: len(original) // 2])
    (folder / "no-content-types.docx").write_bytes(_rezipped(original, {"[Content_Types].xml": None}))
    (folder / "renamed.docx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(2048))  # an old .doc, or encrypted
    write_zip_bomb(folder / "bomb.docx", original)
    assert (folder / "bomb.docx").stat().st_size < 1_000_000
    (folder / "notes.txt").write_text("We will reply shortly.\n")
    code, report = check_json(capsys, "drafts")
    assert code == 2
    errors = {e["path"]: e["message"] for e in report["errors"]}
    assert set(errors) == {f"drafts/{name}.docx" for name in ("truncated", "no-content-types", "renamed", "bomb")}
    assert errors["drafts/truncated.docx"].startswith("not a Word document: the file is damaged or not really a .docx")
    assert "[Content_Types].xml" in errors["drafts/no-content-types.docx"]
    assert "save it as .docx" in errors["drafts/renamed.docx"]
    assert errors["drafts/bomb.docx"].startswith("its part word/document.xml unpacks to 51 MB; commlint reads Word documents")
    assert "zip bomb" in errors["drafts/bomb.docx"]
    assert {f["path"] for f in report["findings"]} == {"drafts/good.docx", "drafts/notes.txt"}


def test_extract_refuses_other_office_files() -> None:
    buffer = io.BytesIO()
    docx.Document().save(buffer)
    workbook = _rezipped(buffer.getvalue(), {"[Content_Types].xml": zipfile.ZipFile(buffer).read("[Content_Types].xml").replace(
        b"wordprocessingml.document.main", b"spreadsheetml.sheet.main")})
    with pytest.raises(ExtractionError, match=r"^not a Word document \(\.docx\): its content is .*spreadsheetml"):
        extract_docx(workbook, "book.docx", "draft")


def test_old_doc_files_are_an_error_when_named_and_ignored_in_folders(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512))
    (tmp_path / "note.txt").write_text("Thanks for writing.\n")
    code, report = check_json(capsys, "old.doc")
    assert code == 2
    assert report["errors"] == [{"path": "old.doc", "message": "commlint cannot read an old Word document (.doc); "
                                 "open it in Word, Google Docs or LibreOffice and save it as .docx"}]
    code, report = check_json(capsys, ".")
    assert code == 0 and report["errors"] == [] and [d["path"] for d in report["documents"]] == ["note.txt"]


@pytest.mark.parametrize("flag", ["--fix", "--diff"])
def test_fix_and_diff_leave_a_word_document_untouched_and_say_so(
        flag: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    before = write_draft(tmp_path / "draft.docx").read_bytes()
    (tmp_path / "plain.txt").write_text("Please utilize the form.\n")
    code = main(["check", "draft.docx", "plain.txt", flag, "--jobs", "1", "--no-color"])
    out = capsys.readouterr().out
    assert code == 1
    assert (tmp_path / "draft.docx").read_bytes() == before
    assert "draft.docx: --fix does not edit Word documents; make the 1 suggested change in Word yourself" in out
    assert "draft.docx:2:38: info readability/plain-words" in out  # still reported
    if flag == "--fix":
        assert (tmp_path / "plain.txt").read_text() == "Please use the form.\n"  # the text file is fixed as before
        assert "plain.txt: fixed 1 problem" in out
    else:
        assert "+Please use the form." in out
    extract_docx((tmp_path / "draft.docx").read_bytes(), "draft.docx", "draft")  # still a Word document
