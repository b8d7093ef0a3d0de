"""The README is the operator's manual: every environment variable the settings read must be documented there."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_read_from_the_environment_is_in_the_readme_table():
    settings_source = (ROOT / "config" / "settings.py").read_text()
    names = set(re.findall(r'env_(?:str|bool|int|list|url|database)\(\s*"([A-Z0-9_]+)"', settings_source))
    assert len(names) > 40  # the pattern still matches how settings.py reads the environment
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert missing == [], f"Document these in the README configuration table: {missing}"


def test_readme_keeps_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "make run" in readme
    assert "make test" in readme
