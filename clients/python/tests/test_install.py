"""The README's offline install works: pip with no index and no build isolation builds the
package with the in-tree backend (standard library only) into a target folder, py.typed
included, and it imports from there; the sdist holds the sources."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
import tempfile
import unittest
from pathlib import Path

from support import CLIENT_ROOT, JournalTestCase  # first: puts the package on the path

import build_backend  # type: ignore[import-untyped]

MODULES = {
    "__init__.py",
    "api.py",
    "background.py",
    "config.py",
    "fields.py",
    "py.typed",
    "slugs.py",
    "transport.py",
}


@unittest.skipUnless(importlib.util.find_spec("pip"), "pip is not installed for this python")
class Install(JournalTestCase):
    def test_pip_installs_offline_into_a_target_folder(self) -> None:
        with tempfile.TemporaryDirectory() as target:
            pip = subprocess.run(
                [sys.executable, "-m", "pip", "install", "--no-build-isolation", "--no-index",
                 "--disable-pip-version-check", "--no-cache-dir", "--target", target,
                 str(CLIENT_ROOT)],
                capture_output=True, text=True, timeout=120,
            )  # fmt: skip
            self.assertEqual(pip.returncode, 0, pip.stdout + pip.stderr)
            installed = Path(target, "lessons_journal")
            self.assertEqual({p.name for p in installed.iterdir()} - {"__pycache__"}, MODULES)
            where = subprocess.run(
                [sys.executable, "-c", "import lessons_journal as l; print(l.__file__)"],
                capture_output=True, text=True, timeout=30, cwd=target, env={"PYTHONPATH": target},
            )  # fmt: skip
            self.assertEqual(where.stdout.strip(), str(installed / "__init__.py"), where.stderr)


class Sdist(JournalTestCase):
    def test_the_sdist_holds_the_sources_and_metadata(self) -> None:
        with tempfile.TemporaryDirectory() as folder:
            name = build_backend.build_sdist(folder)
            with tarfile.open(Path(folder, name)) as sdist:
                members = set(sdist.getnames())
        self.assertEqual(name, "lessons_journal-0.1.0.tar.gz")
        root = "lessons_journal-0.1.0"
        for path in ("PKG-INFO", "pyproject.toml", "README.md", "build_backend.py",
                     "lessons_journal/py.typed", "tests/support.py"):  # fmt: skip
            self.assertIn(f"{root}/{path}", members)
        self.assertLessEqual({f"{root}/lessons_journal/{m}" for m in MODULES}, members)


if __name__ == "__main__":
    unittest.main()
