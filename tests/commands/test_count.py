"""``promptaudit count`` through the CLI: exact JSON, formats, models, directories, stdin and bad input."""

from __future__ import annotations

import codecs
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from promptaudit.money import pricing
from promptaudit.tokens import claude, countcache, vocab
from promptaudit.tokens import tokenizers as tokens

TEXT_DIR = Path(__file__).parents[1] / "data" / "text"


def fixture_text(name: str) -> str:
    return (TEXT_DIR / name).read_bytes().decode("utf-8")


def write(path: Path, data: bytes | str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def gpt_4o_cost(tokens_: int) -> str:
    gpt_4o = pricing.price_for("gpt-4o").input_mtok  # the installed snapshot's (hand-checked: $2.50 in 0.2.5)
    return str(Decimal(tokens_) * gpt_4o / Decimal(1_000_000))


def as_json(result) -> dict:
    assert "Traceback" not in result.stderr
    return json.loads(result.stdout)


def paths_of(payload: dict) -> list[str]:
    return [f["path"] for f in payload["files"]]


@pytest.fixture
def prose(isolated_env) -> Path:
    return write(isolated_env / "prose.txt", fixture_text("english_prose.txt"))


def test_json_for_one_file_is_exact(cli, prose, reference_encoding):
    from promptaudit.money import pricing

    text = prose.read_text(encoding="utf-8")
    expected_tokens = len(reference_encoding("o200k_base").encode_ordinary(text))

    result = cli("count", "prose.txt", "--format", "json")

    assert (result.exit_code, result.stderr) == (0, "")
    assert as_json(result) == {
        "files": [
            {
                "path": "prose.txt",
                "chars": len(text),
                "variables": [],
                "counts": [
                    {
                        "model": "gpt-4o",
                        "model_from": "default",
                        "encoding": "o200k_base",
                        "tokens": expected_tokens,
                        "exact": True,
                        "method": "exact",
                        "rendered_tokens": expected_tokens,
                        "rendered_exact": True,
                        "approximations": [],
                        "rendered_approximations": [],
                        "input_cost_per_request": gpt_4o_cost(expected_tokens),
                    }
                ],
            }
        ],
        "prices": pricing.price_source().to_json(),
    }


def test_json_prices_name_the_source_and_date(cli, prose):
    prices = as_json(cli("count", "prose.txt", "-f", "json"))["prices"]

    assert prices["source"].startswith("genai-prices")
    assert len(prices["as_of"]) == 10 and prices["as_of"][4] == prices["as_of"][7] == "-"


def test_json_stdout_holds_only_json_even_when_an_input_fails(cli, prose):
    result = cli("count", "prose.txt", "missing.txt", "--format", "json")

    assert result.exit_code == 2
    assert paths_of(json.loads(result.stdout)) == ["prose.txt"]  # json.loads refuses any extra text
    assert result.stdout.endswith("}\n")
    assert result.stderr.strip() == "promptaudit: error: missing.txt: no such file or directory"


# code_sample.py is left out here: its f-string braces make the CLI read it as a template (variables estimated).
@pytest.mark.parametrize(
    "name", ["english_prose.txt", "markdown_doc.md", "chinese.txt", "arabic.txt", "emoji.txt", "special_tokens.txt"]
)
def test_cli_counts_every_fixture_exactly_in_both_encodings(cli, name, reference_encoding):
    text = fixture_text(name)
    expected = [
        ("gpt-4o", "o200k_base", len(reference_encoding("o200k_base").encode_ordinary(text))),
        ("gpt-4", "cl100k_base", len(reference_encoding("cl100k_base").encode_ordinary(text))),
    ]

    result = cli("count", str(TEXT_DIR / name), "-m", "gpt-4o", "-m", "gpt-4", "-f", "json")

    assert result.exit_code == 0, result.stderr
    counts = as_json(result)["files"][0]["counts"]
    assert [(c["model"], c["encoding"], c["tokens"]) for c in counts] == expected
    assert all(c["exact"] is True for c in counts)


def test_multiple_models_are_side_by_side_in_order(cli, prose, reference_encoding):
    text = prose.read_text(encoding="utf-8")
    o200k = len(reference_encoding("o200k_base").encode_ordinary(text))

    result = cli(
        "count", "prose.txt", "-m", "gpt-4.1", "--model", "claude-sonnet-4-5", "-m", "gemini-2.5-pro", "-f", "json"
    )

    counts = as_json(result)["files"][0]["counts"]
    assert [c["model"] for c in counts] == ["gpt-4.1", "claude-sonnet-4-5", "gemini-2.5-pro"]
    assert [c["exact"] for c in counts] == [True, False, False]
    assert counts[0]["tokens"] == o200k
    assert counts[1]["encoding"].startswith(("estimate(claude-v3", "claude-v3 (reconstructed"))
    assert counts[1]["tokens"] > o200k and counts[2]["tokens"] > o200k
    assert all(Decimal(c["input_cost_per_request"]) > 0 for c in counts)


def test_a_repeated_model_is_one_column(cli, prose):
    counts = as_json(cli("count", "prose.txt", "-m", "gpt-4o", "-m", "gpt-4o", "-f", "json"))["files"][0]["counts"]
    assert [c["model"] for c in counts] == ["gpt-4o"]


@pytest.fixture
def tree(isolated_env) -> Path:
    root = isolated_env / "prompts"
    for name in ["a.txt", "b.md", "sub/c.prompt", "sub/deeper/d.TXT", "skip.py", "notes.csv", ".hidden/e.txt"]:
        write(root / name, f"prompt {name}\n")
    write(root / "node_modules" / "pkg" / "f.txt", "dependency\n")
    return root


def test_directories_are_walked_for_prompt_files(cli, tree):
    payload = as_json(cli("count", "prompts", "-f", "json"))
    assert paths_of(payload) == ["prompts/a.txt", "prompts/b.md", "prompts/sub/c.prompt", "prompts/sub/deeper/d.TXT"]


@pytest.mark.parametrize(
    "ext_args, expected",
    [
        (["--ext", "csv"], ["prompts/notes.csv"]),
        (["--ext", ".md", "--ext", "csv"], ["prompts/b.md", "prompts/notes.csv"]),
        (["--ext", ".txt"], ["prompts/a.txt", "prompts/sub/deeper/d.TXT"]),
    ],
)
def test_ext_chooses_the_extensions(cli, tree, ext_args, expected):
    assert paths_of(as_json(cli("count", "prompts", *ext_args, "-f", "json"))) == expected


def test_stdin_is_counted(cli, reference_encoding):
    text = fixture_text("japanese.txt")

    result = cli("count", "-", "-f", "json", input=text.encode("utf-8"))

    file = as_json(result)["files"][0]
    assert (file["path"], file["chars"]) == ("-", len(text))
    assert file["counts"][0]["tokens"] == len(reference_encoding("o200k_base").encode_ordinary(text))


def test_empty_stdin_is_an_input_error(cli):
    result = cli("count", "-", input=b"")
    assert result.exit_code == 2
    assert result.stderr == "promptaudit: error: -: empty file\n"


def test_table_has_a_row_per_file_and_a_total_row(cli, isolated_env, reference_encoding):
    first, second = "alpha beta gamma\n", "Zweiter Prompt, auf Deutsch.\n"
    write(isolated_env / "one.txt", first)
    write(isolated_env / "two.txt", second)
    n1, n2 = (len(reference_encoding("o200k_base").encode_ordinary(t)) for t in (first, second))

    result = cli("count", "one.txt", "two.txt", "-m", "gpt-4o", "-m", "claude-sonnet-4-5")

    assert result.exit_code == 0, result.stderr
    rows = {line.split("│")[1].strip(): line for line in result.stdout.splitlines() if line.count("│") > 3}
    assert set(rows) == {"one.txt", "two.txt", "Total"}
    total = [cell.strip() for cell in rows["Total"].split("│")[1:-1]]
    assert total[:3] == ["Total", f"{len(first) + len(second)}", f"{n1 + n2}"]
    reconstructed = claude.ctok_version() is not None  # Python >= 3.12: ctok; else a per-script estimate
    assert total[4].startswith("≈" if reconstructed else "~")
    assert "gpt-4o" in result.stdout and "claude-sonnet-4-5" in result.stdout
    assert "genai-prices" in result.stdout and "as of" in result.stdout
    assert result.stderr == ("" if reconstructed else f"promptaudit: note: {claude.HOW_TO_RECONSTRUCT}\n")


def test_csv_header_and_rows(cli, isolated_env, reference_encoding):
    text = "Classify: refund please\n"
    write(isolated_env / "p.txt", text)
    o200k = len(reference_encoding("o200k_base").encode_ordinary(text))
    cl100k = len(reference_encoding("cl100k_base").encode_ordinary(text))

    result = cli("count", "p.txt", "-m", "gpt-4o", "-m", "gpt-4", "--format", "csv")

    assert result.exit_code == 0
    rows = list(csv.reader(io.StringIO(result.stdout)))
    header = ["path", "chars", "model", "encoding", "tokens", "exact", "input_cost_per_request", "method", "model_from"]
    assert rows[0] == header
    assert rows[1] == [
        "p.txt", str(len(text)), "gpt-4o", "o200k_base", str(o200k), "true", gpt_4o_cost(o200k), "exact", "--model"
    ]  # fmt: skip
    assert rows[2][:6] == ["p.txt", str(len(text)), "gpt-4", "cl100k_base", str(cl100k), "true"]
    assert Decimal(rows[2][6]) > 0
    assert len(rows) == 3


def test_markdown_format_is_refused_for_count(cli, prose):
    result = cli("count", "prose.txt", "--format", "markdown")
    assert result.exit_code == 2
    assert "--format" in result.stderr and result.stdout == ""


def test_no_paths_is_a_usage_error(cli):
    result = cli("count")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr


# --- bad input: one line each, the others still counted, exit 2 ------------------------------------


def make_symlink_to_itself(root: Path) -> str:
    (root / "loop.txt").symlink_to("loop.txt")
    return "loop.txt"


def make_directory_loop(root: Path) -> str:
    write(root / "looped" / "sub" / "inside.txt", "still counted\n")
    (root / "looped" / "sub" / "up").symlink_to("..")
    return "looped"


BAD_INPUTS = [
    pytest.param(None, "missing.txt", "missing.txt: no such file or directory", id="missing"),
    pytest.param(b"\x00\x01\x02binary\x00", "bad.bin", "bad.bin: binary file (NUL bytes); not a prompt", id="binary"),
    pytest.param(b"", "bad.txt", "bad.txt: empty file", id="empty"),
    pytest.param(b" \n\t \n", "bad.txt", "bad.txt: file holds only whitespace", id="whitespace"),
    pytest.param(
        codecs.BOM_UTF16_LE + "hello".encode("utf-16-le") + b"\x00\xdc",  # a lone low surrogate
        "bad.txt",
        "bad.txt: not valid UTF-16 after its byte-order mark (byte 11)",
        id="utf16-bom-broken",
    ),
    pytest.param(
        "Résumé du client\n".encode("latin-1"),
        "bad.txt",
        "bad.txt: not valid UTF-8 (byte 0xe9 on line 1); save it as UTF-8",
        id="latin1",
    ),
    pytest.param(make_symlink_to_itself, "loop.txt", "loop.txt: symlink loop", id="symlink-to-itself"),
    pytest.param(
        make_directory_loop,
        "looped",
        "looped/sub/up: symlink loop (directory already visited); skipped",
        id="directory-loop",
    ),
]


@pytest.mark.parametrize("content, name, message", BAD_INPUTS)
@pytest.mark.parametrize("fmt", ["json", "table"])
def test_bad_input_is_one_line_and_the_rest_is_counted(cli, prose, isolated_env, content, name, message, fmt):
    if callable(content):
        name = content(isolated_env)
    elif content is not None:
        write(isolated_env / name, content)

    result = cli("count", name, "prose.txt", "--format", fmt)

    assert result.exit_code == 2
    assert result.stderr == f"promptaudit: error: {message}\n"
    if fmt == "json":
        counted = paths_of(json.loads(result.stdout))
        assert "prose.txt" in counted and not any(p.startswith(name) and "inside" not in p for p in counted)
    else:
        assert "prose.txt" in result.stdout


def test_files_inside_a_looping_directory_are_still_counted(cli, isolated_env):
    make_directory_loop(isolated_env)
    result = cli("count", "looped", "-f", "json")
    assert (result.exit_code, paths_of(json.loads(result.stdout))) == (2, ["looped/sub/inside.txt"])


def test_several_bad_inputs_give_one_line_each(cli, prose, isolated_env):
    write(isolated_env / "empty.txt", b"")
    write(isolated_env / "latin.txt", "café".encode("latin-1"))

    result = cli("count", "missing.txt", "empty.txt", "prose.txt", "latin.txt", "-f", "json")

    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert [line.split(": ")[2] for line in lines] == ["missing.txt", "empty.txt", "latin.txt"]
    assert paths_of(json.loads(result.stdout)) == ["prose.txt"]


def test_utf8_with_bom_is_accepted_and_the_bom_dropped(cli, isolated_env, reference_encoding):
    text = "Bonjour, résumez ce ticket.\n"
    write(isolated_env / "bom.txt", codecs.BOM_UTF8 + text.encode("utf-8"))

    result = cli("count", "bom.txt", "-f", "json")

    assert (result.exit_code, result.stderr) == (0, "")
    file = as_json(result)["files"][0]
    assert file["chars"] == len(text)
    assert file["counts"][0]["tokens"] == len(reference_encoding("o200k_base").encode_ordinary(text))


def test_only_bad_inputs_still_give_valid_json(cli, isolated_env):
    result = cli("count", "missing.txt", "-f", "json")
    assert result.exit_code == 2
    assert json.loads(result.stdout)["files"] == []


def test_unknown_model_is_named_with_suggestions_and_others_still_counted(cli, prose):
    result = cli("count", "prose.txt", "-m", "gpt-4oo", "-m", "gpt-4o", "-f", "json")

    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1
    assert "'gpt-4oo'" in result.stderr and "did you mean" in result.stderr and "gpt-4o" in result.stderr
    assert [c["model"] for c in as_json(result)["files"][0]["counts"]] == ["gpt-4o"]


def test_only_an_unknown_model_prints_no_report(cli, prose):
    result = cli("count", "prose.txt", "-m", "totally-unknown-model")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "'totally-unknown-model'" in result.stderr and "Traceback" not in result.stderr


def test_a_priced_model_without_a_tokenizer_is_named(cli, prose):
    result = cli("count", "prose.txt", "-m", "mistral-large-latest", "-m", "gpt-4o", "-f", "json")
    assert result.exit_code == 2
    assert "'mistral-large-latest'" in result.stderr and "no tokenizer" in result.stderr
    assert [c["model"] for c in as_json(result)["files"][0]["counts"]] == ["gpt-4o"]


@pytest.mark.parametrize(
    "model, encoding",
    [
        ("gpt-4o-2024-08-06", "o200k_base"),
        ("gpt-4.1", "o200k_base"),
        ("gpt-5", "o200k_base"),
        ("o3", "o200k_base"),
        ("gpt-4", "cl100k_base"),
        ("gpt-3.5-turbo", "cl100k_base"),
    ],
)
def test_dated_and_family_models_are_counted(cli, prose, model, encoding, reference_encoding):
    expected = len(reference_encoding(encoding).encode_ordinary(prose.read_text(encoding="utf-8")))

    result = cli("count", "prose.txt", "-m", model, "-f", "json")

    assert result.exit_code == 0, result.stderr
    count = as_json(result)["files"][0]["counts"][0]
    assert (count["encoding"], count["tokens"], count["exact"]) == (encoding, expected, True)


def test_fine_tuned_model_names_are_counted(cli, prose):
    result = cli("count", "prose.txt", "-m", "ft:gpt-4o-mini:org:x:id", "-f", "json")
    assert result.exit_code == 0, result.stderr
    assert as_json(result)["files"][0]["counts"][0]["encoding"] == "o200k_base"


# --- the count cache through the CLI -----------------------------------------------------------------


def test_a_warm_run_does_not_load_the_vocabulary(cli, isolated_env, monkeypatch):
    for i in range(4):
        write(isolated_env / "many" / f"p{i}.txt", fixture_text("english_prose.txt") + f"\nvariant {i}\n")
    # A template (variables filled with defaults) and a chat file (framing texts) must be cached as billed.
    write(isolated_env / "many" / "reply.j2", "Hello {{ customer_name }}, thanks for writing to us.\n")
    chat = Path(__file__).parents[1] / "data" / "formats" / "openai_chat.json"
    write(isolated_env / "many" / "chat.json", chat.read_text(encoding="utf-8"))
    cold = cli("count", "many", "-m", "gpt-4o", "-m", "gpt-4", "-f", "json")
    assert cold.exit_code == 0
    tokens._count_cache.cache_clear()  # what a new process would see

    def refuse(*args, **kwargs):
        raise AssertionError(f"vocabulary loaded on a warm run: {args!r}")

    monkeypatch.setattr(vocab, "load_encoding", refuse)
    monkeypatch.setattr(vocab, "_offline_spec", refuse)
    monkeypatch.setattr(vocab, "local_lookup", refuse)
    monkeypatch.setattr(vocab, "_LOOKUPS", {})  # nothing already loaded in this process either
    monkeypatch.setattr(vocab, "_BUILT", {})

    warm = cli("count", "many", "-m", "gpt-4o", "-m", "gpt-4", "-f", "json")

    assert (warm.exit_code, warm.stdout) == (0, cold.stdout)


def test_no_cache_env_counts_correctly_and_writes_nothing(cli, prose, isolated_env, monkeypatch):
    monkeypatch.setenv("PROMPTAUDIT_NO_CACHE", "1")
    result = cli("count", "prose.txt", "-f", "json")

    assert result.exit_code == 0
    assert not (isolated_env / ".cache" / "promptaudit").exists()


@pytest.mark.parametrize("damage", [{"input_mtok": "garbage"}, [1, 2], {}])
def test_a_damaged_price_index_in_the_cache_is_ignored(cli, prose, isolated_env, damage):
    from promptaudit.money import pricing

    cold = cli("count", "prose.txt", "-f", "json")
    index = isolated_env / ".cache" / "promptaudit" / pricing.PRICE_INDEX
    stored = json.loads(index.read_text())
    stored["models"]["gpt-4o"] = damage
    index.write_text(json.dumps(stored))
    pricing._index.cache_clear()

    warm = cli("count", "prose.txt", "-f", "json")

    assert (warm.exit_code, warm.stdout) == (0, cold.stdout)


def test_a_warm_run_does_not_rewrite_the_count_cache(cli, prose, isolated_env):
    assert cli("count", "prose.txt", "-f", "json").exit_code == 0
    cache_file = isolated_env / ".cache" / "promptaudit" / countcache.COUNT_CACHE
    before = (cache_file.read_bytes(), cache_file.stat().st_mtime_ns)
    tokens._count_cache.cache_clear()  # what a new process would see
    assert cli("count", "prose.txt", "-f", "json").exit_code == 0
    assert (cache_file.read_bytes(), cache_file.stat().st_mtime_ns) == before
