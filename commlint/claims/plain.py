"""Claims as plain data (tuples, strings, numbers, None), so they can be kept in a cache with
`marshal` and read back equal: the git hook keeps each tracked file's claims by blob.

The form names its fields, so a claim read back from a cache that an older Claim wrote either
fits exactly or is refused (ValueError): a refused entry is read again from the file."""
from __future__ import annotations

import marshal
from dataclasses import fields
from typing import Any

from ..model import Unit
from .extract import Claim

_FIELDS = tuple(f.name for f in fields(Claim))
_UNIT = "unit"


def claims_to_plain(claims: list[Claim]) -> tuple[tuple[str, ...], tuple[tuple[Any, ...], ...]]:
    """(field names, one row of values per claim); a unit becomes (kind, id, date)."""
    rows = []
    for claim in claims:
        row = [getattr(claim, name) for name in _FIELDS]
        unit = claim.unit
        row[_FIELDS.index(_UNIT)] = (unit.kind, unit.id, unit.date) if unit else None
        rows.append(tuple(row))
    return _FIELDS, tuple(rows)


def claims_from_plain(plain: Any) -> list[Claim]:
    """The claims claims_to_plain() gave. Raises ValueError for anything else."""
    try:
        names, rows = plain
        if tuple(names) != _FIELDS:
            raise ValueError("claims kept by another version of commlint")
        claims = []
        for row in rows:
            values = dict(zip(names, row, strict=True))
            unit = values[_UNIT]
            values[_UNIT] = Unit(*unit) if unit else None
            claims.append(Claim(**values))
        return claims
    except (TypeError, KeyError) as error:
        raise ValueError(f"not a list of claims: {error}") from error


def pack_claims(claims: list[Claim]) -> bytes | None:
    """marshal bytes of the claims, or None when a value cannot be kept that way."""
    try:
        return marshal.dumps(claims_to_plain(claims))
    except ValueError:
        return None


def unpack_claims(packed: bytes) -> list[Claim]:
    """The claims pack_claims() kept. Raises ValueError for damaged or foreign bytes."""
    try:
        return claims_from_plain(marshal.loads(packed))
    except (EOFError, TypeError) as error:
        raise ValueError(f"damaged claims: {error}") from error
