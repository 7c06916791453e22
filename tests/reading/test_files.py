"""reading/files.py: the one reader (regular files, a size cap, no blocking) and the one writer (atomic, regular
files only, mode and owner kept) that every file promptaudit reads or writes goes through (issue 26).

Write targets that are devices are made inside tmp_path (mknod, as root): a writer that regressed must never
get near the machine's own /dev.
"""

from __future__ import annotations

import errno
import io
import os
import socket
import stat
import sys
from pathlib import Path

import pytest

from promptaudit.errors import InputError, MissingInput, OutputError
from promptaudit.reading import files

ROOT = os.geteuid() == 0 if hasattr(os, "geteuid") else False


def device(path: Path) -> Path:
    """A character device like /dev/full, inside the test's folder (root only)."""
    if not ROOT:
        pytest.skip("making a device node needs root")
    os.mknod(path, 0o666 | stat.S_IFCHR, os.makedev(1, 7))
    return path


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(files.TEMP_PREFIX))


# --- reading --------------------------------------------------------------------------------------------


def test_a_regular_file_is_read_whole(tmp_path):
    (tmp_path / "p.txt").write_bytes(b"Answer briefly.\n")
    assert files.read_regular(tmp_path / "p.txt") == b"Answer briefly.\n"


def test_a_file_over_its_cap_is_refused_before_it_is_read(tmp_path):
    (tmp_path / "big.txt").write_bytes(b"x" * 101)
    with pytest.raises(InputError, match="larger than 100 bytes"):
        files.read_regular(tmp_path / "big.txt", limit=100)
    assert files.read_regular(tmp_path / "big.txt", limit=101) == b"x" * 101


def test_a_fifo_is_refused_without_waiting_for_a_writer(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InputError, match=r"not a regular file \(named pipe\)"):
        files.read_regular(tmp_path / "pipe")


def test_a_socket_is_refused(tmp_path):
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        with pytest.raises(InputError, match=r"not a regular file \(socket\)"):
            files.read_regular(tmp_path / "sock")
    finally:
        server.close()


def test_a_device_and_a_link_to_one_are_refused(tmp_path):
    (tmp_path / "zero").symlink_to("/dev/zero")
    for path in ("/dev/zero", tmp_path / "zero"):
        with pytest.raises(InputError, match=r"not a regular file \(device\)"):
            files.read_regular(path)


def test_a_folder_is_not_read(tmp_path):
    with pytest.raises(InputError, match="is a directory"):
        files.read_regular(tmp_path)


def test_only_an_absent_file_is_missing(tmp_path):
    with pytest.raises(MissingInput, match="no such file or directory"):
        files.read_regular(tmp_path / "gone.json")
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    with pytest.raises(InputError, match="broken symlink") as caught:
        files.read_regular(tmp_path / "dangling")
    assert not isinstance(caught.value, MissingInput)  # a link that points nowhere is a mistake, not "not yet"


# --- writing: what is written -------------------------------------------------------------------------


def test_a_new_file_gets_the_umask_mode(tmp_path):
    old = os.umask(0o027)
    try:
        files.write_atomic(tmp_path / "new.html", "Grüße\n")
    finally:
        os.umask(old)
    assert (tmp_path / "new.html").read_bytes() == "Grüße\n".encode()
    assert stat.S_IMODE((tmp_path / "new.html").stat().st_mode) == 0o640
    assert leftovers(tmp_path) == []


def test_a_private_new_file(tmp_path):
    files.write_atomic(tmp_path / "cache.bin", b"\x00\x01", new_mode=0o600)
    assert stat.S_IMODE((tmp_path / "cache.bin").stat().st_mode) == 0o600


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o600, 0o666])
def test_an_existing_file_keeps_its_mode(tmp_path, mode):
    path = tmp_path / "page.html"
    path.write_text("old\n")
    path.chmod(mode)
    files.write_atomic(path, "new\n", new_mode=0o600)
    assert path.read_text() == "new\n" and stat.S_IMODE(path.stat().st_mode) == mode


@pytest.mark.skipif(not ROOT, reason="giving a file to another user needs root")
def test_another_users_file_keeps_its_owner_and_mode(tmp_path):
    path = tmp_path / "theirs.html"
    path.write_text("old\n")
    os.chown(path, 1234, 2345)
    path.chmod(0o640)
    files.write_atomic(path, "new\n")
    status = path.stat()
    assert (status.st_uid, status.st_gid, stat.S_IMODE(status.st_mode)) == (1234, 2345, 0o640)
    assert path.read_text() == "new\n"


def test_a_file_that_cannot_keep_its_owner_is_not_replaced(tmp_path, monkeypatch):
    path = tmp_path / "theirs.html"
    path.write_text("old\n")
    real_stat = os.stat

    def owned_by_someone_else(target, *args, **kwargs):
        status = real_stat(target, *args, **kwargs)
        if os.fspath(target) != os.fspath(path):
            return status
        fields = list(status)
        fields[4], fields[5] = status.st_uid + 4242, status.st_gid + 4242
        return os.stat_result(fields)

    def refuse(*args):
        raise PermissionError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "stat", owned_by_someone_else)
    monkeypatch.setattr(os, "fchown", refuse)
    with pytest.raises(OutputError, match=r"belongs to another user \(uid \d+\); not replaced"):
        files.write_atomic(path, "new\n")
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


def test_durable_writes_reach_the_disk_and_caches_skip_it(tmp_path, monkeypatch):
    synced = []
    real_fsync = os.fsync
    monkeypatch.setattr(os, "fsync", lambda fd: synced.append(fd) or real_fsync(fd))
    files.write_atomic(tmp_path / "a.json", "{}")
    assert len(synced) == 2  # the file, then its folder (the rename)
    synced.clear()
    files.write_atomic(tmp_path / "b.json", "{}", durable=False)
    assert synced == []


# --- writing: what is refused -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "reason"),
    [("", "no file name given"), (".", "is a directory"), ("/", "is a directory"), ("gone/", "names a folder")],
)
def test_names_that_are_not_files(tmp_path, monkeypatch, name, reason):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(OutputError, match=reason):
        files.check_writable(name)
    with pytest.raises(OutputError, match=reason):
        files.write_atomic(name, "x")
    assert list(tmp_path.iterdir()) == []


def test_a_folder_is_not_replaced(tmp_path):
    (tmp_path / "sub").mkdir()
    with pytest.raises(OutputError, match="sub: is a directory; promptaudit writes only regular files"):
        files.write_atomic(tmp_path / "sub", "x")
    assert (tmp_path / "sub").is_dir()


def test_a_fifo_and_a_socket_are_refused_and_kept(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(tmp_path / "sock"))
    try:
        for name, kind in (("pipe", "named pipe"), ("sock", "socket")):
            with pytest.raises(OutputError, match=rf"not a regular file \({kind}\)"):
                files.write_atomic(tmp_path / name, "x")
    finally:
        server.close()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode) and stat.S_ISSOCK(os.lstat(tmp_path / "sock").st_mode)
    assert leftovers(tmp_path) == []


def test_a_device_node_is_refused_and_kept(tmp_path):
    node = device(tmp_path / "full")
    for through in (False, True):
        with pytest.raises(OutputError, match=r"not a regular file \(device\)"):
            files.write_atomic(node, "x", through_symlink=through)
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_symlink_is_refused_unless_written_through(tmp_path):
    target, link = tmp_path / "target.json", tmp_path / "link.json"
    target.write_text("old\n")
    link.symlink_to(target)
    with pytest.raises(OutputError, match="is a symbolic link; not written through"):
        files.write_atomic(link, "new\n")
    assert target.read_text() == "old\n"

    files.write_atomic(link, "new\n", through_symlink=True)
    assert link.is_symlink() and target.read_text() == "new\n"


def test_written_through_a_link_to_a_device_is_still_refused(tmp_path):
    (tmp_path / "link").symlink_to(device(tmp_path / "full"))
    with pytest.raises(OutputError, match=r"link: not a regular file \(device\)"):
        files.write_atomic(tmp_path / "link", "x", through_symlink=True)
    assert stat.S_ISCHR(os.lstat(tmp_path / "full").st_mode)


def test_a_dangling_link_written_through_creates_its_target(tmp_path):
    (tmp_path / "link").symlink_to(tmp_path / "later.json")
    files.write_atomic(tmp_path / "link", "{}\n", through_symlink=True)
    assert (tmp_path / "later.json").read_text() == "{}\n"


def test_a_missing_folder(tmp_path):
    with pytest.raises(OutputError, match="folder .*nowhere does not exist"):
        files.check_writable(tmp_path / "nowhere" / "page.html")
    with pytest.raises(OutputError, match="no such file or directory"):
        files.write_atomic(tmp_path / "nowhere" / "page.html", "x")


@pytest.mark.parametrize(
    ("failing", "code", "reason"),
    [
        ("fsync", errno.ENOSPC, "no space left on device"),
        ("replace", errno.EROFS, "read-only file system"),
        ("replace", errno.EACCES, "permission denied"),
        ("replace", errno.EISDIR, "is a directory"),
    ],
)
def test_os_failures_are_one_line_and_leave_the_old_file(tmp_path, monkeypatch, failing, code, reason):
    path = tmp_path / "page.html"
    path.write_text("old\n")

    def fail(*args):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(OutputError, match=f"page.html: {reason}"):
        files.write_atomic(path, "new\n")
    assert path.read_text() == "old\n" and leftovers(tmp_path) == []


@pytest.mark.skipif(ROOT, reason="root writes into a read-only folder")
def test_a_folder_without_write_permission(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir(mode=0o555)
    try:
        with pytest.raises(OutputError, match="permission denied"):
            files.write_atomic(folder / "page.html", "x")
    finally:
        folder.chmod(0o755)


def test_append_text_adds_lines_and_refuses_a_fifo(tmp_path):
    output = tmp_path / "github_output"
    files.append_text(output, "a=1\n")
    files.append_text(output, "b=2\n")
    assert output.read_text() == "a=1\nb=2\n"
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(OutputError, match=r"not a regular file \(named pipe\)"):
        files.append_text(tmp_path / "pipe", "a=1\n")


# --- standard output ----------------------------------------------------------------------------------


class _FullDisk(io.RawIOBase):
    """A raw stream whose every write fails as /dev/full does (its descriptor is a scratch file's)."""

    def __init__(self, fd: int, error: OSError):
        super().__init__()
        self.fd, self.error = fd, error

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        raise self.error

    def fileno(self) -> int:
        return self.fd


@pytest.mark.parametrize(
    ("error", "expected"),
    [(OSError(errno.ENOSPC, "No space left on device"), OutputError), (BrokenPipeError(errno.EPIPE, "pipe"), OSError)],
)
def test_guarded_stdout(tmp_path, monkeypatch, error, expected):
    fd = os.open(tmp_path / "scratch", os.O_WRONLY | os.O_CREAT)
    try:
        monkeypatch.setattr(sys, "stdout", io.TextIOWrapper(io.BufferedWriter(_FullDisk(fd, error))))
        files.guard_stdout()
        with pytest.raises(expected) as caught:
            print("a table", flush=True)
        if expected is OutputError:
            assert str(caught.value) == "standard output: no space left on device"
        else:
            assert isinstance(caught.value, BrokenPipeError)  # | head: quiet, handled by the command layer
    finally:
        os.close(fd)
