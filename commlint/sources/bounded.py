"""Reading an HTTP body under a byte cap counted after decompression.

httpx decompresses each network chunk in one go, so a 64 KB chunk of a gzip bomb can become
64 MB at once. We ask for gzip and deflate only, read the raw bytes and inflate them ourselves
at most PIECE bytes per step: no more than the cap is ever held, whatever the ratio.
"""
from __future__ import annotations

import zlib
from typing import Iterator

PIECE = 1024 * 1024  # inflate at most this much per step, so no step outgrows the cap


class Refused(Exception):
    """A response we will not use, with the reason in plain words; is_error: an error, else a skip."""

    def __init__(self, reason: str, is_error: bool) -> None:
        super().__init__(reason)
        self.is_error = is_error


class _Inflate:
    """zlib/gzip inflation that yields at most PIECE bytes per step, however dense the input."""

    def __init__(self, wbits: int | None) -> None:  # None: zlib-wrapped or raw deflate, told by the first bytes
        self.engine = zlib.decompressobj(wbits) if wbits is not None else None
        self.head = b""

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.engine is None:
            self.head += data
            if len(self.head) < 2:
                return
            data, self.head = self.head, b""
            zlib_wrapped = data[0] & 0x0F == 8 and (data[0] << 8 | data[1]) % 31 == 0
            self.engine = zlib.decompressobj(zlib.MAX_WBITS if zlib_wrapped else -zlib.MAX_WBITS)
        while not self.engine.eof:
            try:
                piece = self.engine.decompress(data, PIECE)
            except zlib.error as error:
                raise Refused(f"corrupt compressed data ({error})", True) from None
            data = self.engine.unconsumed_tail
            if piece:
                yield piece
            if not data and len(piece) < PIECE:  # all input used and nothing held back
                return

    def end(self) -> Iterator[bytes]:
        return iter(())


class _MaybeGunzip:
    """A sitemap file may itself be gzip (sitemap.xml.gz), whatever the headers say: told by its magic bytes."""

    def __init__(self) -> None:
        self.head: bytes | None = b""
        self.inner: _Inflate | None = None

    def feed(self, data: bytes) -> Iterator[bytes]:
        if self.head is not None:
            self.head += data
            if len(self.head) < 2:
                return
            data, gzipped, self.head = self.head, self.head[:2] == b"\x1f\x8b", None
            self.inner = _Inflate(16 + zlib.MAX_WBITS) if gzipped else None
        if self.inner is not None:
            yield from self.inner.feed(data)
        elif data:
            yield data

    def end(self) -> Iterator[bytes]:
        return iter([self.head] if self.head else [])


_Stage = _Inflate | _MaybeGunzip


def _decoders(content_encoding: str) -> list[_Stage]:
    """Stages undoing Content-Encoding, first applied last. We ask for gzip and deflate only."""
    codings = [c.strip().lower() for c in content_encoding.split(",") if c.strip() and c.strip().lower() != "identity"]
    if len(codings) > 2:
        raise Refused(f"Content-Encoding {content_encoding!r} stacks more than two codings", True)
    stages: list[_Stage] = []
    for coding in reversed(codings):
        if coding in ("gzip", "x-gzip"):
            stages.append(_Inflate(16 + zlib.MAX_WBITS))
        elif coding == "deflate":
            stages.append(_Inflate(None))
        else:
            raise Refused(f"unsupported Content-Encoding {coding!r}", True)
    return stages


def _through(stages: list[_Stage], data: bytes) -> Iterator[bytes]:
    if not stages:
        if data:
            yield data
        return
    for piece in stages[0].feed(data):
        yield from _through(stages[1:], piece)


def _ended(stages: list[_Stage]) -> Iterator[bytes]:
    for number, stage in enumerate(stages):
        for piece in stage.end():
            yield from _through(stages[number + 1:], piece)


async def read_body(response, cap: int, sniff_gzip: bool) -> tuple[bytes, bool]:  # type: ignore[no-untyped-def]
    """(body, cut): the decoded body, never more than cap bytes held; cut when there was more."""
    stages = _decoders(response.headers.get("content-encoding", ""))
    if sniff_gzip:
        stages.append(_MaybeGunzip())
    body = bytearray()

    def take(pieces: Iterator[bytes]) -> bool:
        for piece in pieces:
            if len(body) + len(piece) > cap:
                body.extend(piece[: cap - len(body)])
                return True
            body.extend(piece)
        return False

    async for raw in response.aiter_raw():  # as sent: we decompress, a piece at a time
        if take(_through(stages, raw)):
            return bytes(body), True
    return bytes(body), take(_ended(stages))
