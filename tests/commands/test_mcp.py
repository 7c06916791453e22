"""``promptaudit mcp`` without the [mcp] extra says once how to get it; its help needs no SDK."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "promptaudit"
NO_SDK = textwrap.dedent(
    """
    import sys

    class NoMcp:
        def find_spec(self, name, path=None, target=None):
            if name == "mcp" or name.startswith("mcp."):
                raise ModuleNotFoundError(f"No module named {name!r}", name=name)
            return None

    sys.meta_path.insert(0, NoMcp())
    """
)


def test_without_the_sdk_one_line_says_how_to_install_it(tmp_path, isolated_env):
    (tmp_path / "sitecustomize.py").write_text(NO_SDK)
    env = {**os.environ, "PYTHONPATH": str(tmp_path)}

    done = subprocess.run(
        [str(SCRIPT), "mcp"], env=env, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL
    )

    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "promptaudit: error: promptaudit mcp needs the MCP SDK: pip install 'promptaudit[mcp]'\n"


def test_help_names_the_timeout(cli):
    result = cli("mcp", "--help")

    assert result.exit_code == 0
    assert "--timeout" in result.stdout and "MCP" in result.stdout


def test_a_root_that_is_not_a_folder_is_one_line(cli, tmp_path):
    result = cli("mcp", "--root", str(tmp_path / "missing"))

    assert result.exit_code == 2
    assert result.stderr == f"promptaudit: error: --root {tmp_path / 'missing'}: not a folder\n"
