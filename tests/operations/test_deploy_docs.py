"""The README's production section names every process, port and variable the deployment files use."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent


def _production_section() -> str:
    readme = (ROOT / "README.md").read_text()
    return readme[readme.index("## Production") : readme.index("## Layout")]


def test_every_procfile_process_is_in_the_readme_and_has_a_systemd_unit():
    processes = re.findall(r"^([a-z]+):", (ROOT / "Procfile").read_text(), re.MULTILINE)
    section = _production_section()

    assert set(processes) == {"release", "web", "worker", "alerts", "beat"}
    for name in processes:
        assert f"| {name} |" in section
        unit = "mild-worker@.service" if name == "worker" else f"mild-{name}.service"
        assert (ROOT / "docs" / "deploy" / unit).exists()
        assert unit in section


def test_every_variable_of_the_process_commands_is_documented():
    sources = [ROOT / "config" / "gunicorn.py", ROOT / "Procfile", *sorted((ROOT / "docs" / "deploy").iterdir())]
    names = set()
    for source in sources:
        text = source.read_text()
        names |= set(re.findall(r"os\.environ\.get\([\"']([A-Z0-9_]+)[\"']", text))
        names |= set(re.findall(r"\$\$?\{([A-Z0-9_]+)", text))
    readme = (ROOT / "README.md").read_text()

    assert {"PORT", "WEB_CONCURRENCY", "CELERY_CONCURRENCY", "FORWARDED_ALLOW_IPS"} <= names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_the_example_environment_sets_only_documented_variables():
    example = (ROOT / "docs" / "deploy" / "mild.env.example").read_text()
    names = re.findall(r"^([A-Z0-9_]+)=", example, re.MULTILINE)
    readme = (ROOT / "README.md").read_text()

    assert "DATABASE_URL" in names and "REDIS_URL" in names and "SECRET_KEY" in names
    assert sorted(name for name in names if f"`{name}`" not in readme) == []


def test_the_web_unit_runs_gunicorn_with_the_redacting_config():
    unit = (ROOT / "docs" / "deploy" / "mild-web.service").read_text()
    assert "gunicorn -c config/gunicorn.py config.wsgi:application" in unit
    assert "gunicorn -c config/gunicorn.py config.wsgi:application" in (ROOT / "Procfile").read_text()
