"""Real public material for the labelled corpora, brought from the package registries at test time.

Nothing written by other people is committed to this repository: a corpus commits only its *manifest* (which
published artifact, its sha256, the upstream repository and commit it was built from, its licence) and its
*labels* (our own judgements, by path and line). The artifact itself (a PyPI sdist or wheel, an npm tarball) is
downloaded from the registry the first time a test needs it, checked against the sha256 in the manifest, and
unpacked under ``.corpus-cache/`` (git-ignored, shared by every venv of a checkout). The registries are the one
network CI has, so the real-material scores run in CI, not only on a developer's machine.

Only the download goes to the network, in a ``pip``/``npm`` subprocess; promptaudit itself still runs offline
(the in-process socket trap of ``conftest.py`` stays on).

A manifest is a YAML list of artifacts::

    - registry: pypi            # pypi | npm
      name: smolagents
      version: 1.20.0
      file: smolagents-1.20.0.tar.gz   # the exact artifact (sdist or wheel; npm: the tarball name)
      sha256: 0123...
      upstream: huggingface/smolagents  # owner/repo the artifact was built from
      commit: v1.20.0                   # the tag or commit of that build
      licence: Apache-2.0

When an artifact cannot be had (no registry in reach), :func:`materialise` raises :class:`Unavailable`;
:func:`require` turns that into a skip on a developer's machine and a failure in CI (``CI`` set), so a red
scoring test in CI is never silently skipped.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CACHE = Path(os.environ.get("PROMPTAUDIT_CORPUS_CACHE", ROOT / ".corpus-cache"))
REGISTRIES = ("pypi", "npm")
DOWNLOAD_TIMEOUT = 300


class Unavailable(Exception):
    """The artifact could not be downloaded or did not match its manifest."""


@dataclass(frozen=True)
class Artifact:
    """One published artifact a corpus reads (see the module docstring for the fields)."""

    registry: str
    name: str
    version: str
    file: str
    sha256: str
    upstream: str
    commit: str
    licence: str

    @property
    def key(self) -> str:
        """A folder name for this artifact: registry, name and version."""
        return f"{self.registry}/{self.name.replace('/', '__')}-{self.version}"


def load_manifest(path: Path) -> list[Artifact]:
    """The artifacts a manifest lists (every field required, registry known)."""
    entries = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    artifacts = [Artifact(**{k: str(v) for k, v in entry.items()}) for entry in entries]
    unknown = [a.name for a in artifacts if a.registry not in REGISTRIES]
    if unknown:
        raise ValueError(f"{path}: unknown registry for {unknown}")
    return artifacts


def materialise(artifact: Artifact) -> Path:
    """The unpacked artifact's folder (downloaded, verified and unpacked once; later calls reuse it)."""
    target = CACHE / artifact.key
    if (target / ".complete").exists():
        return target
    with _locked(artifact), tempfile.TemporaryDirectory(dir=_cache_root()) as scratch:
        if (target / ".complete").exists():  # another test process (pytest -n) brought it meanwhile
            return target
        archive = _download(artifact, Path(scratch))
        _verify(archive, artifact.sha256)
        unpacked = Path(scratch) / "unpacked"
        _unpack(archive, unpacked)
        (unpacked / ".complete").write_text(artifact.sha256, encoding="utf-8")
        shutil.rmtree(target, ignore_errors=True)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(unpacked, target)
    return target


@contextlib.contextmanager
def _locked(artifact: Artifact):
    """One process at a time brings an artifact (xdist workers share the cache); released on exit."""
    import fcntl

    with open(_cache_root() / f".lock-{artifact.key.replace('/', '_')}", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def require(artifact: Artifact) -> Path:
    """:func:`materialise` for a test: skip where no registry is in reach, fail in CI."""
    import pytest

    try:
        return materialise(artifact)
    except Unavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"real corpus artifact unavailable in CI: {exc}")
        pytest.skip(f"real corpus artifact unavailable: {exc}")


def sha256_of(path: Path) -> str:
    """Hex sha256 of a file (for writing a manifest entry)."""
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _cache_root() -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    return CACHE


def _download(artifact: Artifact, folder: Path) -> Path:
    if artifact.registry == "pypi":
        command = [sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "--dest", str(folder)]
        command += ["--no-binary", ":all:"] if not artifact.file.endswith(".whl") else ["--only-binary", ":all:"]
        command.append(f"{artifact.name}=={artifact.version}")
    else:
        command = ["npm", "pack", "--silent", "--pack-destination", str(folder), f"{artifact.name}@{artifact.version}"]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PIP_FIND_LINKS")}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=DOWNLOAD_TIMEOUT, env=env)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise Unavailable(f"{artifact.key}: {exc}") from None
    archive = folder / artifact.file
    if done.returncode != 0 or not archive.is_file():
        raise Unavailable(f"{artifact.key}: {' '.join(command[:4])} failed: {done.stderr.strip()[-300:]}")
    return archive


def _verify(archive: Path, expected: str) -> None:
    actual = sha256_of(archive)
    if actual != expected:
        raise Unavailable(f"{archive.name}: sha256 {actual} is not the manifest's {expected}")


def _unpack(archive: Path, into: Path) -> None:
    """Unpack a tar or zip archive, refusing members that would land outside ``into``."""
    into.mkdir()
    if archive.name.endswith((".whl", ".zip")):
        with zipfile.ZipFile(archive) as bundle:
            for member in bundle.namelist():
                _inside(into, member)
            bundle.extractall(into)
        return
    with tarfile.open(archive) as bundle:
        members = [m for m in bundle.getmembers() if m.isfile() or m.isdir()]
        for member in members:
            _inside(into, member.name)
        safe = {"filter": "data"} if hasattr(tarfile, "data_filter") else {}  # 3.10.12+/3.11.4+/3.12
        bundle.extractall(into, members=members, **safe)


def _inside(root: Path, member: str) -> None:
    if not (root / member).resolve().is_relative_to(root.resolve()):
        raise Unavailable(f"archive member outside its folder: {member}")
