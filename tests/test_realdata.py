"""The helper that brings real corpus material from the registries: manifests, verification, safe unpacking."""

from __future__ import annotations

import io
import tarfile

import pytest
import realdata


def _tar(path, members: dict[str, bytes]) -> None:
    with tarfile.open(path, "w:gz") as bundle:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            bundle.addfile(info, io.BytesIO(data))


def test_a_manifest_needs_every_field_and_a_known_registry(tmp_path):
    path = tmp_path / "m.yaml"
    path.write_text(
        "- {registry: pypi, name: x, version: 1, file: x-1.tar.gz, sha256: ab, upstream: o/r, commit: v1, licence: MIT}\n"
    )
    assert realdata.load_manifest(path)[0].key == "pypi/x-1"
    path.write_text(
        "- {registry: cran, name: x, version: 1, file: f, sha256: ab, upstream: o/r, commit: v1, licence: MIT}\n"
    )
    with pytest.raises(ValueError, match="unknown registry"):
        realdata.load_manifest(path)
    path.write_text("- {registry: pypi, name: x}\n")
    with pytest.raises(TypeError):
        realdata.load_manifest(path)


def test_an_archive_member_outside_its_folder_is_refused(tmp_path):
    archive = tmp_path / "evil.tar.gz"
    _tar(archive, {"ok.txt": b"fine", "../escape.txt": b"no"})
    with pytest.raises(realdata.Unavailable, match="outside"):
        realdata._unpack(archive, tmp_path / "out")
    assert not (tmp_path / "escape.txt").exists()


def test_an_artifact_whose_digest_differs_from_the_manifest_is_unavailable(tmp_path):
    archive = tmp_path / "a.tar.gz"
    _tar(archive, {"a.txt": b"a"})
    realdata._verify(archive, realdata.sha256_of(archive))
    with pytest.raises(realdata.Unavailable, match="sha256"):
        realdata._verify(archive, "0" * 64)
