"""The deploy files run exactly what the Procfile runs.

No container engine runs here, so the Dockerfile and compose.yaml are never built in the
tests: instead these tests read them and check that every process runs the same command as
the Procfile, which names a gunicorn config file that exists and is read from the
environment.
"""

import json
import runpy
import shlex
from pathlib import Path

import pytest
import yaml
from django.core.management import get_commands
from gunicorn.config import Config

BASE_DIR = Path(__file__).resolve().parent.parent

PROCFILE_COMMANDS = {
    "web": "gunicorn --config gunicorn.conf.py lms.wsgi:application",
    "worker": "python manage.py db_worker",
    "release": "python manage.py migrate --noinput && python manage.py collectstatic --noinput",
    "clock": "python manage.py scheduler",
}


def procfile() -> dict[str, str]:
    processes = {}
    for line in (BASE_DIR / "Procfile").read_text().splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, _, command = line.partition(":")
        assert name not in processes, f"{name} twice in the Procfile"
        processes[name.strip()] = command.strip()
    return processes


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) pairs, continuation lines joined, comments dropped."""
    instructions, current = [], ""
    for line in (BASE_DIR / "Dockerfile").read_text().splitlines():
        if line.lstrip().startswith("#") or (not line.strip() and not current):
            continue
        current += line.rstrip().removesuffix("\\").strip() + " "
        if not line.rstrip().endswith("\\"):
            keyword, _, arguments = current.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
            current = ""
    return instructions


def normalise(command: str | list[str]) -> str:
    """A compose or Dockerfile command as the shell line a Procfile would hold."""
    if isinstance(command, str):
        command = shlex.split(command)
    if command[:2] == ["sh", "-c"]:
        return command[2]
    return shlex.join(command)


def test_the_procfile_runs_the_four_processes():
    assert procfile() == PROCFILE_COMMANDS


def test_the_procfile_commands_exist():
    commands = get_commands()
    for line in procfile().values():
        for part in line.split("&&"):
            words = shlex.split(part)
            if words[:2] == ["python", "manage.py"]:
                assert words[2] in commands, part
    web = shlex.split(procfile()["web"])
    module, _, attribute = web[-1].partition(":")
    assert (BASE_DIR / (module.replace(".", "/") + ".py")).is_file()
    assert attribute == "application"


def test_the_dockerfile_runs_the_procfile_web_command_as_a_non_root_user():
    instructions = dockerfile_instructions()
    assert instructions[0] == ("FROM", "python:3.11-slim-bookworm")

    cmd = [arguments for keyword, arguments in instructions if keyword == "CMD"]
    assert len(cmd) == 1
    assert normalise(json.loads(cmd[0])) == procfile()["web"]

    users = [arguments for keyword, arguments in instructions if keyword == "USER"]
    assert users, "the Dockerfile never leaves root"
    assert users[-1] not in {"root", "0"}
    # That user owns the working folder, where collectstatic creates STATIC_ROOT.
    (workdir,) = [arguments for keyword, arguments in instructions if keyword == "WORKDIR"]
    assert ("RUN", f"chown {users[-1]}:{users[-1]} {workdir}") in instructions
    keywords = [keyword for keyword, _ in instructions]
    assert keywords.index("USER") < keywords.index("CMD")

    env = " ".join(arguments for keyword, arguments in instructions if keyword == "ENV")
    assert "PYTHONUNBUFFERED=1" in env


def test_the_dockerfile_installs_without_the_test_extra_and_collects_static_files():
    runs = [arguments for keyword, arguments in dockerfile_instructions() if keyword == "RUN"]
    installs = [run for run in runs if "pip install" in run]
    assert installs == ["pip install --no-cache-dir ."]

    # collectstatic runs at build exactly as the release process runs it, after the USER
    # switch (so the files belong to the site's user), with dummy secrets only.
    collectstatic = procfile()["release"].split("&&")[1].strip()
    builds = [run for run in runs if collectstatic in run]
    assert len(builds) == 1
    assert builds[0] == (f"SECRET_KEY=collectstatic-only ALLOWED_HOSTS=localhost {collectstatic}")


def test_compose_runs_the_procfile_commands_beside_postgres_and_redis():
    compose = yaml.safe_load((BASE_DIR / "compose.yaml").read_text())
    services = compose["services"]
    assert {"web", "worker", "clock", "release", "postgres", "redis"} <= set(services)
    for name, command in procfile().items():
        assert normalise(services[name]["command"]) == command, name

    for name in ("web", "worker", "clock", "release"):
        service = services[name]
        assert service["build"] == "."
        assert service["env_file"] == ".env"
        assert service["environment"]["DJANGO_SETTINGS_MODULE"] == "lms.settings.production"
        assert service["environment"]["DATABASE_URL"].endswith("@postgres:5432/lms")
        assert service["environment"]["REDIS_URL"] == "redis://redis:6379/0"
    for name in ("web", "worker", "clock"):
        assert services[name]["depends_on"]["release"] == {
            "condition": "service_completed_successfully"
        }
    # Media and private files are shared by every process through the same volumes.
    assert services["web"]["volumes"] == services["worker"]["volumes"]


def test_the_procfile_names_a_gunicorn_config_that_gunicorn_accepts():
    web = shlex.split(procfile()["web"])
    path = BASE_DIR / web[web.index("--config") + 1]
    assert path.is_file()
    config = Config()
    for name, value in runpy.run_path(str(path)).items():
        if name.startswith("_") or name == "os":
            continue
        assert name in config.settings, f"gunicorn has no setting {name!r}"
        config.set(name, value)
    assert config.control_socket_disable is True
    assert config.accesslog == "-"


@pytest.mark.parametrize(
    ("environ", "bind", "workers", "forwarded"),
    [
        ({}, "0.0.0.0:8000", 2, "127.0.0.1"),
        (
            {"PORT": "5123", "WEB_CONCURRENCY": "7", "FORWARDED_ALLOW_IPS": "10.0.0.2"},
            "0.0.0.0:5123",
            7,
            "10.0.0.2",
        ),
    ],
)
def test_the_gunicorn_config_reads_port_and_web_concurrency(
    monkeypatch, environ, bind, workers, forwarded
):
    for name in ("PORT", "WEB_CONCURRENCY", "FORWARDED_ALLOW_IPS"):
        monkeypatch.delenv(name, raising=False)
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    settings = runpy.run_path(str(BASE_DIR / "gunicorn.conf.py"))
    assert settings["bind"] == bind
    assert settings["workers"] == workers
    assert settings["forwarded_allow_ips"] == forwarded
