"""The VBA project writer: a correct [MS-OVBA] 2.4.1 compressor and a reproducible, side-effect-free build."""

from __future__ import annotations

import io
import os
import random
import uuid
import warnings
from pathlib import Path

import olefile
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

with warnings.catch_warnings():  # oletools uses deprecated pyparsing names at import
    warnings.simplefilter("ignore")
    from oletools.olevba import decompress_stream

from samarbejde_xl.addin.ovba import CHUNK_SIZE, VbaModule, build_vba_project, compress, stream_source

XLWINGS_MODULE = Path(__file__).resolve().parents[1] / "macros" / "xlwings.bas"


def _decompress(data: bytes) -> bytes:
    return bytes(decompress_stream(bytearray(data)))


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"a",
        b"abc",
        b"ab" * 400,  # longer than the ~660 bytes ms-ovba's own compressor gets right
        b"x" * (CHUNK_SIZE - 1),
        b"x" * CHUNK_SIZE,
        b"x" * (CHUNK_SIZE + 1),
        XLWINGS_MODULE.read_bytes(),
    ],
    ids=["empty", "one-byte", "three-bytes", "repeats-800", "chunk-minus-1", "one-chunk", "chunk-plus-1", "xlwings"],
)
def test_compress_round_trips_through_olevba(data: bytes) -> None:
    assert _decompress(compress(data)) == data


def test_incompressible_chunk_is_stored_raw() -> None:
    data = random.Random(7).randbytes(CHUNK_SIZE)
    compressed = compress(data)
    header = int.from_bytes(compressed[1:3], "little")
    assert header & 0x8000 == 0  # raw chunk flag
    assert _decompress(compressed) == data


@settings(max_examples=60, deadline=None)
@given(st.binary(max_size=3 * CHUNK_SIZE) | st.text(alphabet="ab c\n", max_size=3 * CHUNK_SIZE).map(str.encode))
def test_compress_decompress_is_identity(data: bytes) -> None:
    decompressed = _decompress(compress(data))
    # a raw (incompressible) last chunk is padded to 4096 bytes with zeros ([MS-OVBA] 2.4.1.3.10)
    assert decompressed[: len(data)] == data
    assert set(decompressed[len(data) :]) <= {0}


def _modules() -> list[VbaModule]:
    return [
        VbaModule("ThisWorkbook", 'Attribute VB_Name = "ThisWorkbook"\n', document=True),
        VbaModule("Big", 'Attribute VB_Name = "Big"\n' + "' filler line to pass 660 bytes\n" * 60),
    ]


def test_project_modules_read_back_with_olefile() -> None:
    data = build_vba_project(_modules(), uuid.UUID(int=1))
    with olefile.OleFileIO(io.BytesIO(data)) as ole:
        assert ["VBA", "Big"] in ole.listdir()
        assert ole.openstream("PROJECT").read().startswith(b'ID="{00000000-0000-0000-0000-000000000001}"')


def test_build_is_reproducible_and_leaves_no_trace(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    random.seed(42)
    expected_next = random.Random(42).random()
    first = build_vba_project(_modules(), uuid.UUID(int=1))
    assert random.random() == expected_next  # the caller's random state is untouched
    assert first == build_vba_project(_modules(), uuid.UUID(int=1))
    assert first != build_vba_project(_modules(), uuid.UUID(int=2))
    assert os.listdir(tmp_path) == []
    assert Path.cwd() == tmp_path


@pytest.mark.parametrize(
    ("modules", "message"),
    [
        ([VbaModule("A", 'Attribute VB_Name = "A"\n\' Møde\n')], "ASCII"),
        ([VbaModule("A", 'Attribute VB_Name = "A"\n'), VbaModule("A", 'Attribute VB_Name = "A"\n')], "duplicate"),
    ],
    ids=["non-ascii", "duplicate-name"],
)
def test_bad_modules_are_refused(modules: list[VbaModule], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        build_vba_project(modules, uuid.UUID(int=1))


@pytest.mark.parametrize(
    ("source", "stored"),
    [("a\nb", b"a\r\nb\r\n"), ("a\r\nb\r\n", b"a\r\nb\r\n"), ("a\n\n", b"a\r\n\r\n")],
    ids=["adds-final-line-end", "keeps-crlf", "keeps-blank-last-line"],
)
def test_stream_source_uses_crlf(source: str, stored: bytes) -> None:
    assert stream_source(source) == stored
