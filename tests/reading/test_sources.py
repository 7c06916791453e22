"""sources.py: finding prompt files, and turning every unreadable input into one InputError."""

from __future__ import annotations

import codecs
import io
import os
from pathlib import Path

import pytest

from promptaudit.errors import InputError
from promptaudit.reading import files, sources
from promptaudit.reading.sources import Source


def found(paths: list[str], extensions=sources.DEFAULT_EXTENSIONS) -> tuple[list[str], list[str]]:
    """(paths of sources, 'path: reason' of errors) from discover."""
    items = list(sources.discover(paths, extensions))
    return (
        [item.path for item in items if isinstance(item, Source)],
        [str(item) for item in items if isinstance(item, InputError)],
    )


def read_all(paths: list[str]) -> tuple[list[str], list[str]]:
    """Discover and read every path as the count command does: (paths read, 'path: reason' errors)."""
    read, errors = [], []
    for item in sources.discover(paths):
        try:
            if isinstance(item, InputError):
                raise item
            sources.read_text(item)
            read.append(item.path)
        except InputError as exc:
            errors.append(str(exc))
    return read, errors


def write(path: Path, data: bytes | str = "prompt text\n") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


# --- decoding -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"", "empty file"),
        (b"  \n\t\r\n  ", "file holds only whitespace"),
        (b"\xef\xbb\xbf", "empty file"),  # a BOM and nothing else
        (b"\xef\xbb\xbf \n", "file holds only whitespace"),
        (b"PK\x03\x04\x00\x00binary", "binary file (NUL bytes); not a prompt"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file (NUL bytes); not a prompt"),
        (codecs.BOM_UTF16_LE + b"\x00\xd8", "not valid UTF-16 after its byte-order mark (byte 1)"),  # lone surrogate
        (codecs.BOM_UTF16_LE + "  \n".encode("utf-16-le"), "file holds only whitespace"),
        (codecs.BOM_UTF32_LE, "empty file"),
        (
            codecs.BOM_UTF16_LE + b"P\x00K\x00\x00\x00\x00\x00",
            "binary file (NUL characters after a UTF-16 byte-order mark); not a prompt",
        ),
        ("café\n".encode("latin-1"), "not valid UTF-8 (byte 0xe9 on line 1); save it as UTF-8"),
        ("line one\nline two\nnaïve\n".encode("latin-1"), "not valid UTF-8 (byte 0xef on line 3); save it as UTF-8"),
        ("€5".encode("cp1252"), "not valid UTF-8 (byte 0x80 on line 1); save it as UTF-8"),
    ],
)
def test_bad_bytes_are_refused_with_a_reason(data, reason):
    with pytest.raises(InputError) as caught:
        sources.decode("p.txt", data)
    assert (caught.value.path, caught.value.reason) == ("p.txt", reason)
    assert str(caught.value) == f"p.txt: {reason}"


@pytest.mark.parametrize(
    "data, text",
    [
        (b"hello\n", "hello\n"),
        (codecs.BOM_UTF8 + b"hello\n", "hello\n"),  # the BOM is dropped, the file is counted
        (codecs.BOM_UTF8 + "請\n".encode(), "請\n"),
        (b"crlf\r\nkept\r\n", "crlf\r\nkept\r\n"),
        (codecs.BOM_UTF16_LE + "héllo\r\n".encode("utf-16-le"), "héllo\r\n"),  # Notepad's "Unicode"
        (codecs.BOM_UTF16_BE + "請 🙂\n".encode("utf-16-be"), "請 🙂\n"),
        (codecs.BOM_UTF32_LE + "hi\n".encode("utf-32-le"), "hi\n"),
        (codecs.BOM_UTF32_BE + "hi\n".encode("utf-32-be"), "hi\n"),
        (b"<|endoftext|>", "<|endoftext|>"),
    ],
)
def test_good_bytes_decode_exactly(data, text):
    assert sources.decode("p.txt", data) == text


def test_nul_bytes_past_the_sniffed_prefix_are_not_binary():
    data = b"a" * 9000 + b"\x00"
    assert sources.decode("p.txt", data) == data.decode()


# --- reading --------------------------------------------------------------------------------------


def test_read_text_of_a_file(tmp_path):
    path = write(tmp_path / "p.txt", codecs.BOM_UTF8 + "Grüße\n".encode())
    assert sources.read_text(Source(str(path))) == "Grüße\n"


def test_stdin_is_read_as_bytes(monkeypatch):
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(codecs.BOM_UTF8 + b"from stdin\n")))
    assert Source("-").is_stdin
    assert sources.read_text(Source("-")) == "from stdin\n"


def test_a_directory_where_a_file_is_expected(tmp_path):
    with pytest.raises(InputError, match="is a directory") as caught:
        sources.read_bytes(Source(str(tmp_path)))
    assert caught.value.path == str(tmp_path)


def test_a_missing_file_read_directly(tmp_path):
    with pytest.raises(InputError, match="no such file or directory"):
        sources.read_bytes(Source(str(tmp_path / "gone.txt")))


def test_oversized_file_is_refused(tmp_path, monkeypatch):
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 10)
    path = write(tmp_path / "big.txt", "x" * 11)

    with pytest.raises(InputError, match="larger than"):
        sources.read_bytes(Source(str(path)))


# --- discovery ------------------------------------------------------------------------------------


def test_explicit_files_are_taken_whatever_their_extension(tmp_path):
    a, b = write(tmp_path / "script.py"), write(tmp_path / "README")
    assert found([str(a), str(b), "-"]) == ([str(a), str(b), "-"], [])


def test_directories_yield_prompt_like_files_only_sorted_and_recursive(tmp_path):
    for name in ["b.txt", "a.md", "c.prompt", "d.j2", "e.jinja", "f.yaml", "g.yml", "h.json", "UPPER.TXT"]:
        write(tmp_path / name)
    for name in ["skip.py", "skip.csv", "noext", "skip.txt.bak", ".hidden.txt"]:
        write(tmp_path / name)
    write(tmp_path / "sub" / "deeper" / "z.txt")

    paths, errors = found([str(tmp_path)])

    names = [os.path.relpath(p, tmp_path) for p in paths]
    assert names == [
        "UPPER.TXT",
        "a.md",
        "b.txt",
        "c.prompt",
        "d.j2",
        "e.jinja",
        "f.yaml",
        "g.yml",
        "h.json",
        os.path.join("sub", "deeper", "z.txt"),
    ]
    assert errors == []


@pytest.mark.parametrize("skipped", [".git", ".venv", "node_modules", "__pycache__", "venv", "site-packages"])
def test_hidden_and_dependency_directories_are_skipped(tmp_path, skipped):
    write(tmp_path / skipped / "inside.txt")
    kept = write(tmp_path / "kept.txt")
    assert found([str(tmp_path)]) == ([str(kept)], [])


def test_extensions_can_be_chosen_case_insensitively(tmp_path):
    write(tmp_path / "a.txt")
    prompt = write(tmp_path / "b.PROMPT")
    assert found([str(tmp_path)], (".Prompt",)) == ([str(prompt)], [])


def test_a_hidden_root_directory_is_still_walked(tmp_path):
    inside = write(tmp_path / ".prompts" / "a.txt")
    assert found([str(tmp_path / ".prompts")]) == ([str(inside)], [])


def test_missing_path_is_an_error_and_others_continue(tmp_path):
    kept = write(tmp_path / "kept.txt")
    missing = str(tmp_path / "missing.txt")
    assert found([missing, str(kept)]) == ([str(kept)], [f"{missing}: no such file or directory"])


def test_a_symlink_to_itself(tmp_path):
    loop = tmp_path / "self.txt"
    loop.symlink_to(loop.name)
    assert found([str(loop)]) == ([], [f"{loop}: symlink loop"])


def test_two_symlinks_pointing_at_each_other(tmp_path):
    (tmp_path / "a.txt").symlink_to("b.txt")
    (tmp_path / "b.txt").symlink_to("a.txt")
    assert found([str(tmp_path / "a.txt")]) == ([], [f"{tmp_path / 'a.txt'}: symlink loop"])


def test_a_broken_symlink_given_explicitly(tmp_path):
    (tmp_path / "dangling.txt").symlink_to("nowhere.txt")
    assert found([str(tmp_path / "dangling.txt")]) == ([], [f"{tmp_path / 'dangling.txt'}: no such file or directory"])


def test_broken_and_looping_symlinks_inside_a_directory(tmp_path):
    kept = write(tmp_path / "kept.txt")
    (tmp_path / "dangling.txt").symlink_to("nowhere.txt")
    (tmp_path / "self.md").symlink_to("self.md")

    paths, errors = read_all([str(tmp_path)])

    assert paths == [str(kept)]
    assert [e.split(": ", 1)[0] for e in errors] == [str(tmp_path / "dangling.txt"), str(tmp_path / "self.md")]
    assert all("symlink" in e.split(": ", 1)[1] for e in errors)


def test_a_symlinked_file_inside_a_directory_is_read(tmp_path):
    target = write(tmp_path / "elsewhere" / "real.data")
    (tmp_path / "prompts").mkdir()
    (tmp_path / "prompts" / "linked.txt").symlink_to(target)
    assert found([str(tmp_path / "prompts")]) == ([str(tmp_path / "prompts" / "linked.txt")], [])


def test_a_directory_loop_is_reported_once_and_the_walk_ends(tmp_path):
    kept = write(tmp_path / "root" / "sub" / "a.txt")
    (tmp_path / "root" / "sub" / "up").symlink_to("..")

    paths, errors = found([str(tmp_path / "root")])

    assert paths == [str(kept)]
    assert errors == [f"{tmp_path / 'root' / 'sub' / 'up'}: symlink loop (directory already visited); skipped"]


def test_a_loop_through_two_directories(tmp_path):
    kept = write(tmp_path / "m" / "a" / "x.txt")
    (tmp_path / "m" / "b").mkdir()
    (tmp_path / "m" / "a" / "to_b").symlink_to("../b")
    (tmp_path / "m" / "b" / "to_a").symlink_to("../a")

    paths, errors = found([str(tmp_path / "m")])

    assert paths == [str(kept)]
    assert [e.rsplit(": ", 1)[1] for e in errors] == ["symlink loop (directory already visited); skipped"]


def test_a_symlinked_alias_of_a_directory_is_not_a_loop(tmp_path):
    """A second path to a walked directory (docs_alias -> docs) is counted once and is not an error."""
    kept = write(tmp_path / "docs" / "a.md")
    (tmp_path / "docs_alias").symlink_to("docs")

    assert found([str(tmp_path)]) == ([str(kept)], [])


def test_a_symlinked_directory_given_as_root_is_followed(tmp_path):
    write(tmp_path / "real" / "a.txt")
    (tmp_path / "link").symlink_to("real")
    assert found([str(tmp_path / "link")]) == ([str(tmp_path / "link" / "a.txt")], [])
