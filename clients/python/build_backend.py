"""A PEP 517 build backend in the standard library only, so that ``pip install`` of this
folder works offline with nothing but pip (no setuptools or wheel package needed). It
builds the one pure-Python package ``lessons_journal`` (every file in it, ``py.typed``
included) with the metadata of ``pyproject.toml``'s ``[project]`` table."""

from __future__ import annotations

import base64
import hashlib
import io
import tarfile
import tomllib
import zipfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent
PACKAGE = "lessons_journal"
SDIST_FILES = ("pyproject.toml", "build_backend.py", "README.md")


def _project() -> dict[str, Any]:
    project: dict[str, Any] = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project


def _dist_name(project: dict[str, Any]) -> str:
    return f"{project['name'].replace('-', '_')}-{project['version']}"


def _metadata(project: dict[str, Any]) -> bytes:
    lines = [
        "Metadata-Version: 2.1",
        f"Name: {project['name']}",
        f"Version: {project['version']}",
        f"Summary: {project['description']}",
        f"License: {project['license']}",
        f"Requires-Python: {project['requires-python']}",
        "Description-Content-Type: text/markdown",
        "",
        (ROOT / project["readme"]).read_text(),
    ]
    return "\n".join(lines).encode()


def _files(folder: Path) -> list[Path]:
    return sorted(
        path for path in folder.rglob("*") if path.is_file() and "__pycache__" not in path.parts
    )


def build_wheel(
    wheel_directory: str,
    config_settings: dict[str, Any] | None = None,
    metadata_directory: str | None = None,
) -> str:
    project = _project()
    dist = _dist_name(project)
    info = f"{dist}.dist-info"
    name = f"{dist}-py3-none-any.whl"
    records: list[str] = []
    with zipfile.ZipFile(Path(wheel_directory) / name, "w", zipfile.ZIP_DEFLATED) as wheel:

        def add(path: str, data: bytes) -> None:
            wheel.writestr(path, data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            records.append(f"{path},sha256={digest.decode()},{len(data)}")

        for path in _files(ROOT / PACKAGE):
            add(path.relative_to(ROOT).as_posix(), path.read_bytes())
        add(f"{info}/METADATA", _metadata(project))
        wheel_file = "Wheel-Version: 1.0\nGenerator: build_backend\nRoot-Is-Purelib: true\n"
        add(f"{info}/WHEEL", f"{wheel_file}Tag: py3-none-any\n".encode())
        add(f"{info}/top_level.txt", f"{PACKAGE}\n".encode())
        records.append(f"{info}/RECORD,,")
        wheel.writestr(f"{info}/RECORD", "\n".join(records) + "\n")
    return name


def build_sdist(sdist_directory: str, config_settings: dict[str, Any] | None = None) -> str:
    project = _project()
    dist = _dist_name(project)
    name = f"{dist}.tar.gz"
    with tarfile.open(Path(sdist_directory) / name, "w:gz") as sdist:
        sources = [ROOT / file for file in SDIST_FILES]
        sources += _files(ROOT / PACKAGE) + _files(ROOT / "tests")
        for path in sources:
            sdist.add(path, f"{dist}/{path.relative_to(ROOT).as_posix()}")
        info = tarfile.TarInfo(f"{dist}/PKG-INFO")
        metadata = _metadata(project)
        info.size = len(metadata)
        sdist.addfile(info, io.BytesIO(metadata))
    return name
