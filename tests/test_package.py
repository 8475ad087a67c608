"""A real package: the wheel built from pyproject.toml, installed into a new virtualenv outside
the checkout, checks its questionnaires and serves a page with its templates, static files and
translations (found through importlib.resources, not the source tree)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PIP = (sys.executable, "-m", "pip", "-q", "--disable-pip-version-check")
NOT_SHIPPED = (".git", ".venv", "instance", "build", "*.egg-info", "__pycache__", ".hypothesis")

PAGE = """
import assess, sys, tempfile
from pathlib import Path
from assess import create_app
from assess.cli.database import init_database

folder = Path(tempfile.mkdtemp())
app = create_app(
    {"SECRET_KEY": "wheel", "DATABASE": str(folder / "wheel.sqlite"), "WTF_CSRF_ENABLED": False}
)
init_database(app)
client = app.test_client()
home = client.get("/")
style = client.get("/static/assess.css")
english = client.post("/lang", data={"lang": "en"}, follow_redirects=True)
print(assess.__file__)
print(home.status_code, "智能工厂" in home.get_data(as_text=True))
print(style.status_code, len(style.data) > 1000)
print(english.status_code, "Smart-factory" in english.get_data(as_text=True))
"""


def test_the_wheel_installs_into_a_clean_virtualenv_and_runs(tmp_path):
    source = tmp_path / "source"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(*NOT_SHIPPED))
    dist = tmp_path / "dist"
    subprocess.run(
        [*PIP, "wheel", "--no-deps", "--no-build-isolation", "-w", str(dist), str(source)],
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("assess-*.whl")
    target = tmp_path / "venv"
    venv.create(target, with_pip=False)
    site = Path(sysconfig.get_path("purelib", vars={"base": str(target), "platbase": str(target)}))
    subprocess.run(
        [*PIP, "install", "--no-deps", "--no-index", "--target", str(site), str(wheel)],
        check=True,
        capture_output=True,
    )
    # the dependencies come from the test's own environment, as a plain path: its .pth files
    # (the editable install of the checkout among them) are not read from there
    (site / "dependencies.pth").write_text(sysconfig.get_path("purelib") + "\n")
    python = target / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if not key.startswith("ASSESS_")}
    env.update(PYTHONNOUSERSITE="1", ASSESS_INSTANCE_PATH=str(tmp_path / "instance"))
    env.pop("PYTHONPATH", None)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()

    check = subprocess.run(
        [str(python), "-m", "flask", "--app", "assess", "questionnaire", "check"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stderr
    assert "machinery-smart-factory" in check.stdout and check.stdout.rstrip().endswith("OK")

    page = subprocess.run(
        [str(python), "-c", PAGE], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert page.returncode == 0, page.stderr
    location, home, style, english = page.stdout.splitlines()
    assert Path(location).is_relative_to(site)  # the installed wheel, not the checkout
    assert home == "200 True"
    assert style == "200 True"
    assert english == "200 True"
