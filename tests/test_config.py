"""config.py: discovery walking up from the cwd, pyproject's [tool.promptaudit], and broken or hostile files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from promptaudit.config import find_config, load_config, validate
from promptaudit.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def project(isolated_env, monkeypatch) -> Path:
    """A project with a prompt two levels down; the cwd is that nested folder."""
    root = isolated_env / "project"
    write(root / "src" / "prompts" / "p.txt", "Summarise the ticket in one line.\n")
    monkeypatch.chdir(root / "src" / "prompts")
    return root


def models_counted(result) -> list[str]:
    assert "Traceback" not in result.stderr
    return [c["model"] for c in json.loads(result.stdout)["files"][0]["counts"]]


# --- discovery ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", [".promptaudit.yaml", "promptaudit.yaml"])
def test_yaml_config_is_found_walking_up(project, name):
    config = write(project / name, "models: [gpt-4.1]\n")
    assert find_config() == config
    assert load_config().get("models") == ["gpt-4.1"]


def test_pyproject_section_is_found_walking_up(project):
    pyproject = write(project / "pyproject.toml", '[project]\nname = "x"\n\n[tool.promptaudit]\nmodels = ["o3"]\n')
    assert find_config() == pyproject
    assert load_config().values == {"models": ["o3"]}


def test_pyproject_without_the_section_is_passed_over(project, isolated_env):
    write(project / "pyproject.toml", '[project]\nname = "x"\n')
    outer = write(isolated_env / ".promptaudit.yaml", "models: [gpt-4]\n")
    assert find_config() == outer


def test_the_nearest_config_wins(project):
    write(project / ".promptaudit.yaml", "models: [gpt-4]\n")
    nearer = write(project / "src" / "promptaudit.yaml", "models: [gpt-5]\n")
    assert find_config() == nearer


def test_dot_name_wins_over_plain_name_in_one_folder(project):
    dotted = write(project / ".promptaudit.yaml", "models: [gpt-4]\n")
    write(project / "promptaudit.yaml", "models: [gpt-5]\n")
    assert find_config() == dotted


def test_no_config_gives_empty_defaults(project):
    config = load_config()
    assert (config.values, config.path, config.root) == ({}, None, Path.cwd())


def test_an_empty_config_file_is_empty_settings(project):
    write(project / ".promptaudit.yaml", "# nothing set yet\n")
    assert load_config().values == {}


def test_config_root_is_its_folder(project):
    write(project / ".promptaudit.yaml", "models: [gpt-4]\n")
    assert load_config().root == project.resolve()


# --- the count command reads models and extensions from config ------------------------------------


def test_count_takes_models_from_the_discovered_config(cli, project):
    write(project / ".promptaudit.yaml", "models: [gpt-4.1, gpt-4]\n")
    assert models_counted(cli("count", "p.txt", "-f", "json")) == ["gpt-4.1", "gpt-4"]


def test_count_takes_models_from_pyproject(cli, project):
    write(project / "pyproject.toml", '[tool.promptaudit]\nmodels = ["gpt-3.5-turbo"]\n')
    assert models_counted(cli("count", "p.txt", "-f", "json")) == ["gpt-3.5-turbo"]


def test_model_flags_win_over_config(cli, project):
    write(project / ".promptaudit.yaml", "models: [gpt-4]\n")
    assert models_counted(cli("count", "p.txt", "-m", "o3", "-f", "json")) == ["o3"]


def test_explicit_config_wins_over_discovery(cli, project, tmp_path):
    write(project / ".promptaudit.yaml", "models: [gpt-4]\n")
    explicit = write(tmp_path / "other.yaml", "models: [gpt-5]\n")
    assert models_counted(cli("count", "p.txt", "--config", str(explicit), "-f", "json")) == ["gpt-5"]


def test_extensions_from_config_pick_directory_files(cli, project):
    write(project / ".promptaudit.yaml", "extensions: [.prompt, md]\n")
    write(project / "src" / "prompts" / "a.prompt", "one\n")
    write(project / "src" / "prompts" / "b.md", "two\n")

    result = cli("count", ".", "-f", "json")

    assert [Path(f["path"]).name for f in json.loads(result.stdout)["files"]] == ["a.prompt", "b.md"]


# --- broken and hostile config files: one line naming the file (and key), exit 2 ------------------


HOSTILE = "!!python/object/apply:os.system ['echo pwned > pwned.txt']\n"
BROKEN = [
    pytest.param(HOSTILE, "line 1, column 1: could not determine a constructor for the tag", id="python-object-apply"),
    pytest.param("models: !!python/object:collections.OrderedDict {}\n", "line 1", id="python-object"),
    pytest.param("models: [gpt-4o\n", "line 2", id="unclosed-flow"),
    pytest.param("models:\n  - gpt-4o\n - bad-indent\n", "line 3", id="bad-indent"),
    pytest.param("modles: [gpt-4o]\n", "unknown key 'modles'", id="unknown-key"),
    pytest.param("models: gpt-4o\n", "key 'models' must be a list of model names", id="wrong-type-str"),
    pytest.param("models: [1, 2]\n", "key 'models' must be a list of model names", id="wrong-type-ints"),
    pytest.param("max_tokens: yes\n", "key 'max_tokens' must be a positive integer", id="wrong-type-bool"),
    pytest.param("fail_on: critical\n", "key 'fail_on' must be one of info, warning, error", id="bad-choice"),
    pytest.param("- models\n- gpt-4o\n", "must be a mapping of settings, not list", id="not-a-mapping"),
    pytest.param("models: [a]\nmodels: [b]\n", "duplicate key 'models'", id="duplicate-key"),
]


@pytest.mark.parametrize("text, message", BROKEN)
def test_broken_config_is_one_line_naming_the_file(cli, project, text, message):
    config = write(project / "bad.yaml", text)

    result = cli("count", "p.txt", "--config", str(config))

    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"promptaudit: error: {config}: ")
    assert message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert not (project / "src" / "prompts" / "pwned.txt").exists()


@pytest.mark.parametrize("text, message", BROKEN[4:6])
def test_broken_discovered_config_is_reported_too(cli, project, text, message):
    config = write(project / ".promptaudit.yaml", text)
    result = cli("count", "p.txt")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"promptaudit: error: {config.resolve()}: ") and message in result.stderr


@pytest.mark.parametrize(
    "text, message",
    [
        ('[tool.promptaudit]\nmodels = "gpt-4o"\n', "key 'models' must be a list of model names"),
        ('[tool.promptaudit]\nmodel = ["gpt-4o"]\n', "unknown key 'model'"),
        ("[tool.promptaudit\nmodels = []\n", "cannot read"),
    ],
)
def test_broken_pyproject_is_one_line(cli, project, text, message):
    write(project / "pyproject.toml", text)
    result = cli("count", "p.txt")
    assert result.exit_code == 2
    assert "pyproject.toml: " in result.stderr and message in result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_missing_config_file(cli, project):
    result = cli("count", "p.txt", "--config", "nope.yaml")
    assert result.exit_code == 2
    assert result.stderr == "promptaudit: error: nope.yaml: config file not found\n"


def test_a_directory_given_as_the_config_file(cli, project):
    (project / "confdir").mkdir()
    result = cli("count", "p.txt", "--config", str(project / "confdir"))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"promptaudit: error: {project / 'confdir'}: ")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


def test_a_config_that_is_not_utf8(cli, project):
    config = project / "latin.yaml"
    config.write_bytes("models: [gpt-4o]  # café\n".encode("latin-1"))
    result = cli("count", "p.txt", "--config", str(config))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"promptaudit: error: {config}: ") and "Traceback" not in result.stderr


def test_validate_accepts_the_count_keys_with_the_right_type():
    data = {"models": ["gpt-4o"], "extensions": [".txt"], "max_tokens": 500, "fail_on": "warning"}
    assert validate(data, "cfg.yaml") == data


def test_validate_names_key_and_file():
    with pytest.raises(ConfigError, match=r"^cfg\.yaml: key 'volume' must be"):
        validate({"volume": {"per_day": "lots"}}, "cfg.yaml")


# --- placeholders: the template syntax per glob (issue 10) --------------------------------------------


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        ({"prompts/*.txt": "python-format"}, True),
        ({"a/*": ["jinja", "angle"], "b/*": "none", "c/*": "f-string"}, True),
        ({"a/*": "fstrng"}, False),
        ({"a/*": ["jinja", 3]}, False),
        ("python-format", False),
        ({"a/*": None}, False),
    ],
)
def test_placeholders_are_validated_naming_the_key_and_file(tmp_path, value, ok):
    from promptaudit.config import validate
    from promptaudit.errors import ConfigError

    if ok:
        assert validate({"placeholders": value}, tmp_path / "c.yaml") == {"placeholders": value}
        return
    with pytest.raises(ConfigError, match=r"c\.yaml: key 'placeholders' must be a mapping of glob -> placeholder"):
        validate({"placeholders": value}, tmp_path / "c.yaml")


def test_placeholders_for_a_path_is_the_first_matching_glob(tmp_path):
    from promptaudit.config import Config, placeholders_for
    from promptaudit.reading.templates import NONE, declared

    config = Config({"placeholders": {"lc/*.txt": "langchain", "lc/*": "none"}}, tmp_path / ".promptaudit.yaml")
    assert placeholders_for(str(tmp_path / "lc" / "a.txt"), config) == declared(["python-format"])
    assert placeholders_for(str(tmp_path / "lc" / "a.md"), config) == NONE
    assert placeholders_for(str(tmp_path / "other.txt"), config) is None


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"volume": {"per_day": 10, "total_per_day": 100}}, "not both"),
        ({"traffic": {"a.txt": {"share": 0.3, "per_day": 10}}}, "not both"),
        ({"traffic": {"a.txt": {"total_per_day": 10}}}, "unknown unit 'total_per_day'"),
    ],
)
def test_volume_is_per_prompt_or_a_total_never_both(data, message):
    with pytest.raises(ConfigError, match=message):
        validate(data, "c.yaml")


def test_a_total_volume_and_traffic_shares_are_valid():
    data = {"volume": {"total_per_day": 50000}, "traffic": {"a.txt": {"share": 0.3}, "b/*.txt": {"rps": 1}}}
    assert validate(data, "c.yaml") == data
