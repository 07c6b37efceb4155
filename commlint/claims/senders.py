"""Who states a claim: the organisation behind each document.

Two documents are compared only when they come from the same organisation. A web site's
canonical URL, a crawled page's host, an e-mail's From: domain and a social post's account name
the sender; the configuration (`organisations`) or `--organisation` can name it instead. A
document with no sender signal (a draft, a page saved without its URL) belongs to the one
organisation of its folder, when the folder's other documents agree on one; otherwise it is
compared with nothing, and the run says so.
"""
from __future__ import annotations

import ipaddress
from collections import defaultdict
from dataclasses import dataclass
from email.utils import getaddresses
from fnmatch import fnmatchcase
from functools import lru_cache
from typing import Iterable
from urllib.parse import urlsplit

from ..model import Document

MAX_FOLDER_DEPTH = 12  # ancestors looked at for a document without a sender


def sender_of(doc: Document) -> str | None:
    """The sender signal of a document: a host name ("www.acme.no"), or "@account" for a social
    post, or None."""
    meta = doc.meta
    if doc.channel == "social":
        author = (meta.get("author") or "").strip().lstrip("@").casefold()
        return "@" + author if author and author not in ("user", "unknown", "anonymous") else None
    if meta.get("from"):
        domains = [address.rpartition("@")[2].casefold().strip(". >") for _, address in getaddresses([meta["from"]]) if "@" in address]
        return domains[0] if domains and domains[0] else None
    for url in (meta.get("canonical"), doc.path if doc.path.startswith(("http://", "https://")) else None):
        host = _host(url)
        if host:
            return host
    return None


def _host(url: str | None) -> str | None:
    if not url or not url.startswith(("http://", "https://")):
        return None
    try:
        host = urlsplit(url).hostname
    except ValueError:
        return None
    return host.casefold().rstrip(".") if host else None


@lru_cache(maxsize=1)
def _suffixes():  # type: ignore[no-untyped-def]
    from publicsuffixlist import PublicSuffixList  # bundled list: no download

    return PublicSuffixList()


@lru_cache(maxsize=4096)
def registrable(host: str) -> str:
    """The domain an organisation registered: "mail.acme.co.uk" -> "acme.co.uk". An IP address
    or a one-label host stays as it is; an account ("@acme") too."""
    if host.startswith("@") or "." not in host:
        return host
    try:
        ipaddress.ip_address(host)
        return host
    except ValueError:
        pass
    return _suffixes().privatesuffix(host) or host


def country_of(host: str | None) -> str | None:
    """The country a host's top-level domain names ("fjordnett.no" -> "NO"), for phone numbers
    written without a country code; None for .com, .org and the like."""
    if not host or host.startswith("@"):
        return None
    tld = host.rsplit(".", 1)[-1]
    if len(tld) != 2 or not tld.isalpha():
        return None
    return "GB" if tld == "uk" else tld.upper()


@dataclass(frozen=True)
class Organisations:
    """The configuration's organisations (name -> domains, accounts and path globs) and the
    command line's --organisation (every input is that one organisation)."""

    named: tuple[tuple[str, tuple[str, ...]], ...] = ()
    everything: str | None = None

    def of(self, path: str, sender: str | None) -> str | None:
        if self.everything:
            return self.everything
        posix = path.replace("\\", "/")
        for name, patterns in self.named:
            for pattern in patterns:
                if _matches(pattern, posix, sender):
                    return name
        return registrable(sender) if sender else None


# A pattern that ends like a file name is a path ("notes.txt"), not a domain.
_FILE_TYPES = frozenset({"txt", "md", "markdown", "html", "htm", "eml", "mbox", "json", "jsonl", "csv", "tsv", "ftl", "xml", "docx"})


def _matches(pattern: str, path: str, sender: str | None) -> bool:
    folded = pattern.casefold()
    if folded.startswith("@"):
        return sender == folded
    if "/" in folded or "*" in folded or "?" in folded or folded.rsplit(".", 1)[-1] in _FILE_TYPES:
        return fnmatchcase(path, pattern) or fnmatchcase(path, "*/" + pattern.lstrip("/"))
    return bool(sender) and not sender.startswith("@") and (sender == folded or sender.endswith("." + folded))


def _folders(path: str) -> Iterable[str]:
    """The folders that hold a path, nearest first."""
    posix = path.replace("\\", "/")
    if posix.startswith(("http://", "https://")):
        return ()
    parts = posix.split("/")[:-1]
    return ("/".join(parts[:depth]) for depth in range(len(parts), max(-1, len(parts) - MAX_FOLDER_DEPTH - 1), -1))


def attribute(orgs: dict[str, str | None], paths: dict[str, str], anonymous: frozenset[str] = frozenset()) -> tuple[dict[str, str | None], list[str]]:
    """Each document's organisation (document key -> organisation), and the documents left
    unattributed. `paths` gives each document's file.

    A document without one takes its folder's: the nearest folder whose attributed documents
    all name one organisation. A run with one organisation gives it to every document; a run
    with none is one group (a team's own drafts), except the `anonymous` documents: posts of an
    export that names no account, which are as likely the public's as the team's. Linear: each
    document looks at a bounded number of folders."""
    known = {org for org in orgs.values() if org}
    if len(known) <= 1:
        only = next(iter(known), "")
        result = {key: org or (None if key in anonymous and not only else only) for key, org in orgs.items()}
        return result, [key for key, org in result.items() if org is None]
    by_folder: dict[str, set[str]] = defaultdict(set)
    for key, org in orgs.items():
        if org:
            for folder in _folders(paths[key]):
                by_folder[folder].add(org)
    result: dict[str, str | None] = {}
    unattributed = []
    for key, org in orgs.items():
        if not org:
            org = next((next(iter(found)) if len(found) == 1 else None for folder in _folders(paths[key]) if (found := by_folder.get(folder))), None)
            if org is None:
                unattributed.append(key)
        result[key] = org
    return result, unattributed
