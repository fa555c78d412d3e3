"""A source-only VBA project (``vbaProject.bin``) written on any OS.

The PyPI package ms-ovba 0.0.1 knows the project layout ([MS-OVBA] 2.3: ``PROJECT``, ``VBA/dir``,
``VBA/_VBA_PROJECT`` and one stream per module) but its bundled compressor corrupts modules longer than about 660
bytes, it writes scratch files into the working directory and it draws seeds (project-stream obfuscation, scratch
file names) from the global random generator. This module keeps its layout code and fixes the rest: a correct
[MS-OVBA] 2.4.1 compressor, a private scratch directory, and a fixed seed with the caller's random state restored.

The project carries no compiled p-code (``_VBA_PROJECT`` version 0xFFFF), like the add-ins xlwings ships: Excel
compiles the source when it opens the file.
"""

from __future__ import annotations

import gc
import os
import random
import tempfile
import uuid
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# ms-ovba and its helpers have no type information (ignored in the mypy config).
from ms_cfb.Models.Directories.root_directory import RootDirectory
from ms_cfb.Models.Directories.storage_directory import StorageDirectory
from ms_cfb.Models.Directories.stream_directory import StreamDirectory
from ms_cfb.ole_file import OleFile
from ms_ovba.Models.Entities.doc_module import DocModule
from ms_ovba.Models.Entities.reference import Reference
from ms_ovba.Models.Entities.reference_registered import ReferenceRegistered
from ms_ovba.Models.Entities.std_module import StdModule
from ms_ovba.Models.Fields.libid_reference import LibidReference
from ms_ovba.vbaProject import VbaProject
from ms_ovba.Views.dirStream import DirStream
from ms_ovba.Views.project import Project
from ms_ovba.Views.project_view import ProjectView

CHUNK_SIZE = 4096
_SIGNATURE = 0x01
_CHUNK_SIGNATURE = 0b011 << 12
_COMPRESSED_FLAG = 0x8000
_MIN_MATCH = 3

CODEPAGE = "cp1252"
"""The project's code page (the ``dir`` stream that ms-ovba writes declares 1252). Our VBA is ASCII-only."""

# The references Excel gives a new project, as in the add-ins xlwings ships.
_REFERENCES: tuple[tuple[str, str, str, str], ...] = (
    ("stdole", "00020430-0000-0000-C000-000000000046", r"C:\Windows\System32\stdole2.tlb", "OLE Automation"),
    (
        "Office",
        "2DF8D04C-5BFA-101B-BDE5-00AA0044DE52",
        r"C:\Program Files\Common Files\Microsoft Shared\OFFICE16\MSO.DLL",
        "Microsoft Office 16.0 Object Library",
    ),
)


# --------------------------------------------------------------------------------------------------
# [MS-OVBA] 2.4.1 compression
# --------------------------------------------------------------------------------------------------


def _copy_token_layout(position_in_chunk: int) -> tuple[int, int]:
    """(bits for the offset, longest length) of a CopyToken at this position (2.4.1.3.19.1 CopyToken Help)."""
    bit_count = max((position_in_chunk - 1).bit_length(), 4)
    return bit_count, (0xFFFF >> bit_count) + _MIN_MATCH


def _compress_chunk(chunk: bytes) -> bytes:
    """Token sequences for one decompressed chunk (at most 4096 bytes); no header."""
    out = bytearray()
    heads: dict[bytes, list[int]] = {}  # 3-byte prefix -> earlier positions with it, oldest first
    position = 0
    end = len(chunk)
    while position < end:
        flag_index = len(out)
        out.append(0)
        flags = 0
        for bit in range(8):
            if position >= end:
                break
            bit_count, max_length = _copy_token_layout(position)
            best_length, best_offset = 0, 0
            for candidate in reversed(heads.get(chunk[position : position + _MIN_MATCH], ())):
                length = 0
                limit = min(max_length, end - position)
                while length < limit and chunk[candidate + length] == chunk[position + length]:
                    length += 1
                if length > best_length:
                    best_length, best_offset = length, position - candidate
                    if length == limit:
                        break
            step = best_length if best_length >= _MIN_MATCH else 1
            if step > 1:
                token = ((best_offset - 1) << (16 - bit_count)) | (best_length - _MIN_MATCH)
                out += token.to_bytes(2, "little")
                flags |= 1 << bit
            else:
                out.append(chunk[position])
            for index in range(position, position + step):
                if index + _MIN_MATCH <= end:
                    heads.setdefault(chunk[index : index + _MIN_MATCH], []).append(index)
            position += step
        out[flag_index] = flags
    return bytes(out)


def compress(data: bytes) -> bytes:
    """A CompressedContainer ([MS-OVBA] 2.4.1.1.1) holding ``data``."""
    out = bytearray([_SIGNATURE])
    for start in range(0, len(data), CHUNK_SIZE):
        chunk = data[start : start + CHUNK_SIZE]
        body = _compress_chunk(chunk)
        if len(body) <= CHUNK_SIZE:
            header = _COMPRESSED_FLAG | _CHUNK_SIGNATURE | (len(body) + 2 - 3)
        else:  # incompressible: a raw chunk is always 4096 bytes, padded (2.4.1.3.10)
            body = chunk.ljust(CHUNK_SIZE, b"\x00")
            header = _CHUNK_SIGNATURE | (CHUNK_SIZE + 2 - 3)
        out += header.to_bytes(2, "little") + body
    return bytes(out)


# --------------------------------------------------------------------------------------------------
# The project
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class VbaModule:
    """One module's source as the VBA editor exports it (``Attribute VB_Name = ...`` first)."""

    name: str
    source: str
    document: bool = False  # a document module (ThisWorkbook, a sheet): its source carries Attribute VB_Base


class _StdModule(StdModule):  # type: ignore[misc]
    def write_file(self) -> None:
        Path(self.bin_path).write_bytes(self.cache + compress(Path(self._file_path + ".new").read_bytes()))


class _DocModule(DocModule):  # type: ignore[misc]
    def write_file(self) -> None:
        Path(self.bin_path).write_bytes(self.cache + compress(Path(self._file_path + ".new").read_bytes()))


class _DirStream(DirStream):  # type: ignore[misc]
    def write_file(self) -> None:
        Path("dir.bin").write_bytes(compress(self.to_bytes()))


def stream_source(source: str) -> bytes:
    """Module text as a module stream stores it: CRLF line ends, ASCII, ending with a line end."""
    text = source.replace("\r\n", "\n")
    if not text.endswith("\n"):
        text += "\n"
    return text.replace("\n", "\r\n").encode("ascii")


@contextmanager
def _scratch_directory() -> Iterator[Path]:
    """ms-ovba and ms-cfb write their parts into the working directory: give them a private one."""
    previous = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="samarbejde-ovba-") as scratch:
        os.chdir(scratch)
        try:
            yield Path(scratch)
        finally:
            os.chdir(previous)


@contextmanager
def _seeded_random(seed: int) -> Iterator[None]:
    """Seed the global generator ms-ovba draws from; give the caller's state back afterwards."""
    state = random.getstate()
    random.seed(seed)
    try:
        yield
    finally:
        random.setstate(state)


def _project(modules: Sequence[VbaModule], project_id: uuid.UUID, scratch: Path) -> VbaProject:
    project = VbaProject()
    project.project_id = "{" + str(project_id).upper() + "}"
    for index, module in enumerate(modules):
        file_path = scratch / f"module{index}"
        (file_path.parent / (file_path.name + ".new")).write_bytes(stream_source(module.source))
        entry = _DocModule(module.name) if module.document else _StdModule(module.name)
        entry.add_file(str(file_path))
        project.add_module(entry)
    for name, guid, path, description in _REFERENCES:
        libid = LibidReference(uuid.UUID(guid), "2.0", "0", path, description)
        project.add_reference(Reference(ReferenceRegistered(libid), name))
    return project


def _ole_directory(project: VbaProject) -> RootDirectory:
    """The storage tree of ``vbaProject.bin`` (ms-ovba's ProjectOleFile, with our compressing streams)."""
    root = RootDirectory()
    root.set_modified(project.default_date)
    storage = StorageDirectory("VBA")
    storage.set_created(project.default_date)
    storage.set_modified(project.default_date)
    for module in project.get_modules():
        module.write_file()
        storage.add_directory(StreamDirectory(module.name, module.bin_path))
    _DirStream(project).write_file()
    storage.add_directory(StreamDirectory("dir", "dir.bin"))
    ProjectView(project).write_file()
    storage.add_directory(StreamDirectory("_VBA_PROJECT", "vba_project.bin"))
    root.add_directory(storage)
    Project(project).write_file()
    root.add_directory(StreamDirectory("PROJECT", "project.bin"))
    return root


def build_vba_project(modules: Sequence[VbaModule], project_id: uuid.UUID, seed: int = 0) -> bytes:
    """The bytes of a source-only ``vbaProject.bin`` holding ``modules`` (same inputs, same bytes)."""
    names = [module.name for module in modules]
    if len(set(names)) != len(names):
        raise ValueError(f"duplicate module names: {names}")
    for module in modules:
        if not module.source.isascii():
            raise ValueError(f"VBA module {module.name} must be ASCII-only")
    with _scratch_directory() as scratch, _seeded_random(seed), warnings.catch_warnings():
        # ms-cfb leaves its scratch files to the garbage collector: close them here, quietly.
        warnings.simplefilter("ignore", ResourceWarning)
        project = _project(modules, project_id, scratch)
        ole_file = OleFile()
        ole_file.root_directory = _ole_directory(project)
        ole_file.create_file("vbaProject.bin")
        del ole_file, project
        gc.collect()
        return (scratch / "vbaProject.bin").read_bytes()
