"""The real `ai-usage` console script: against a running API, and with none (--local); exit codes 0, 1 and 69."""

import json
import logging
import os
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from conftest import free_port

from backend.words import STATUS_WORDS

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = Path(sys.executable).parent / "ai-usage"


def cli(*args, env):
    assert SCRIPT.exists(), "the console script is installed by `make setup` (pip install -e .)"
    return subprocess.run([str(SCRIPT), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)


def running_demo_api(env, token=None):
    """(process, url) of `run_api.py --demo` with `env`, once it answers /api/health (with the token, if it wants one)."""
    port = free_port()
    process = subprocess.Popen([sys.executable, "run_api.py", "--demo"], cwd=ROOT,
                               env={**env, "API_PORT": str(port), **({"DASHBOARD_TOKEN": token} if token else {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(urllib.request.Request(f"{url}/api/health", headers=headers), timeout=1)
            break
        except OSError:
            time.sleep(0.1)
    return process, url


@pytest.fixture
def demo_api(base_env):
    process, url = running_demo_api(base_env)
    yield url
    process.terminate()
    process.wait(10)


@pytest.fixture
def in_process(base_env, monkeypatch):
    """Run the CLI's code in this process with base_env and what a test adds: nothing of the outer environment, no
    .env of the checkout's, and the log filters it installs taken back afterwards."""
    from backend import cli as cli_module
    from backend import config

    for name in [n for n in os.environ if n.startswith(("OPENROUTER_", "GITHUB_", "CHATGPT_", "CODEX_", "DASHBOARD_"))]:
        monkeypatch.delenv(name)  # DASHBOARD_DEMO would read demo data, a token would add an account
    monkeypatch.setattr(config, "load_dotenv_file", lambda *args, **kwargs: None)
    monkeypatch.setattr(cli_module, "_dotenv", lambda: None)
    for name in ("usage_dashboard", "werkzeug", "waitress"):
        logger = logging.getLogger(name)
        monkeypatch.setattr(logger, "filters", list(logger.filters))

    def setenv(**extra):
        for name, value in {**base_env, **extra}.items():
            monkeypatch.setenv(name, value)

    return setenv


def test_json_snapshot_from_a_running_api(demo_api, base_env):
    done = cli("--json", env={**base_env, "AI_USAGE_API": demo_api})
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["schema_version"] == 1 and data["via"] == "api"
    assert {(a["provider"], a["account"]) for a in data["accounts"]} == {
        ("openrouter", "default"), ("openrouter", "work"), ("github_copilot", "default"), ("openai_codex", "default")}
    assert all(a["quotas"] and a["error"] is None and a["source"] == "demo" for a in data["accounts"])
    filtered = json.loads(cli("status", "--json", "--provider", "openrouter", "--account", "work",
                              env={**base_env, "AI_USAGE_API": demo_api}).stdout)
    assert [(a["provider"], a["account"]) for a in filtered["accounts"]] == [("openrouter", "work")]


def test_status_table_and_statusline_from_a_running_api(demo_api, base_env):
    env = {**base_env, "AI_USAGE_API": demo_api}
    table = cli("status", env=env)
    assert table.returncode == 0 and "ChatGPT Codex" in table.stdout and "Lasts" in table.stdout
    line = cli("statusline", env=env)
    assert line.returncode == 0
    assert line.stdout.strip().startswith("OR $51 · OR·work $51 · CP ") and " · CX 5h 37% wk " in line.stdout
    assert "\x1b[" not in line.stdout
    assert "\x1b[32m" in cli("statusline", "--color", env=env).stdout
    assert cli("statusline", "--format", "{CX}|{OR_work}", env=env).stdout.strip().startswith("CX 5h 37% wk")
    wrong = cli("statusline", "--format", "{XX}", env=env)
    assert wrong.returncode == 2 and wrong.stderr.startswith("ai-usage: --format names 'XX'") and "Traceback" not in wrong.stderr


def test_guard_exit_codes_against_a_running_api(demo_api, base_env):
    env = {**base_env, "AI_USAGE_API": demo_api}
    assert cli("guard", "--provider", "openai_codex", "--min-left", "10", env=env).returncode == 0
    short = cli("guard", "--provider", "openai_codex", "--quota", "primary", "--min-left", "70", env=env)
    assert short.returncode == 1 and "ChatGPT Codex 5-hour: 63 % left (needs 70 %)" in short.stderr
    nothing = cli("guard", "--provider", "nope", "--min-left", "10", env=env)
    assert nothing.returncode == 69 and "no quota matched" in nothing.stderr


def test_with_no_api_it_reads_the_providers_itself(base_env):
    api = f"http://127.0.0.1:{free_port()}"
    env = {**base_env, "AI_USAGE_API": api, "DASHBOARD_DEMO": "1"}
    done = cli("--json", env=env)
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["via"] == "local" and data["stale_after_seconds"] == 60
    # The table says where it looked and that it read the providers itself (on stderr: stdout stays the table),
    # and is as wide as COLUMNS says.
    table = cli(env={**env, "COLUMNS": "100"})
    assert table.returncode == 0 and f"No dashboard API answered at {api}" in table.stderr
    assert "ChatGPT Codex" in table.stdout and max(len(line) for line in table.stdout.splitlines()) <= 100
    assert not re.search(r"[█░·]{10}", table.stdout)  # no room for the bars: their columns go to the words
    wide = cli(env={**env, "COLUMNS": "170"}).stdout.splitlines()
    paced = [line for line in wide if "Lasts" in line]
    labels = (*STATUS_WORDS.values(), "Used up", "Limit reached")
    assert len(paced) >= 6 and all(re.search(r" [█░·]{10} ", line) and line.rstrip().endswith(labels) for line in paced)
    assert not [line for line in wide if line.startswith(" " * 4)]  # room for every row on one line: none wraps
    assert "answered" not in cli("--local", env=env).stderr  # asked for: nothing to say
    # An address with a user part in it is shown without it.
    secret = cli(env={**env, "AI_USAGE_API": f"http://me:tok-secret@127.0.0.1:{free_port()}/x?key=k"})
    assert "No dashboard API answered at http://127.0.0.1:" in secret.stderr and "tok-secret" not in secret.stderr
    assert cli("--local", "statusline", env=env).stdout.startswith("OR $51")
    assert cli("guard", "--local", "--provider", "openrouter", "--min-left", "5", env=env).returncode == 0


def test_guard_says_unknown_when_a_provider_is_not_configured(base_env):
    env = {**base_env, "AI_USAGE_API": f"http://127.0.0.1:{free_port()}"}
    done = cli("guard", "--provider", "github_copilot", "--min-left", "10", env=env)
    assert done.returncode == 69
    assert "GITHUB_PAT" in done.stderr and "Traceback" not in done.stderr
    status = cli(env=env)
    assert status.returncode == 69 and "not configured" in status.stdout


def test_the_table_lists_why_below_it_with_the_messages_as_written(base_env, tmp_path):
    # A path with [brackets] in a message was read as rich markup and printed without them: a wrong path to fix.
    odd = tmp_path / "[x]" / "none.properties"
    env = {**base_env, "AI_USAGE_API": f"http://127.0.0.1:{free_port()}", "DASHBOARD_CONFIG": str(odd), "COLUMNS": "200",
           "OPENROUTER_API_KEY": "sk-or-test"}
    done = cli(env=env)
    assert done.returncode == 69 and "Traceback" not in done.stderr
    rows, _, notes = done.stdout.partition("\n\n")
    assert [line.split()[-2:] for line in rows.splitlines()[1:]] == [["error", "(1)"], ["error", "(2)"], ["error", "(3)"]]
    assert "Could not connect" not in rows and notes.splitlines()[0].startswith("(1) OpenRouter: Could not connect")
    assert f"(2) GitHub Copilot: The settings file {odd} (DASHBOARD_CONFIG) does not exist." in notes


def test_bad_arguments_are_one_clear_error(base_env):
    done = cli("guard", "--min-left", "200", env=base_env)
    assert done.returncode == 2 and "Traceback" not in done.stderr and "--min-left" in done.stderr


def test_python_dash_m_works_too(base_env):
    done = subprocess.run([sys.executable, "-m", "backend.cli", "--help"], cwd=ROOT, env=base_env, capture_output=True,
                          text=True, timeout=30)
    assert done.returncode == 0 and "statusline" in done.stdout


def test_a_local_read_never_shows_a_token_in_its_reasons_or_its_log(in_process, monkeypatch, caplog):
    # ai-usage --local reads in this process: its failures' reasons and its log lines go to this terminal.
    from backend import cli as cli_module
    from backend import providers
    from backend.errors import ProviderError

    token = "sk-or-v1-local-secret-0123456789"
    in_process(OPENROUTER_API_KEY=token, OPENROUTER_API_KEY__WORK=token + "-work")

    def failing(provider, creds, base, timeout, session):
        if creds["api_key"].endswith("-work"):
            raise RuntimeError(f"a bug that prints its arguments: {creds}")  # logged with its traceback
        raise ProviderError("upstream_error", f"The upstream said no to {creds['api_key']}.")

    monkeypatch.setattr(providers, "_fetch", failing)
    data = cli_module.from_local("openrouter")
    errors = {a["account"]: a["error"] for a in data["accounts"]}
    assert errors["default"]["message"] == "The upstream said no to [redacted]."
    assert (errors["default"]["provider"], errors["work"]["account"]) == ("openrouter", "work")
    assert errors["work"]["code"] == "internal_error"
    assert "a bug that prints its arguments" in caplog.text and "'api_key': '[redacted]'" in caplog.text
    assert token not in json.dumps(data) + caplog.text


def test_a_crash_of_a_local_read_is_one_line_without_the_token(in_process, monkeypatch):
    from backend import cli as cli_module

    token = "sk-or-v1-crash-secret-0123456789"
    in_process(OPENROUTER_API_KEY=token)
    monkeypatch.setattr(cli_module, "from_local", lambda provider, account: {}[f"no entry for {token}"])
    with pytest.raises(cli_module.Fail) as failed:
        cli_module.load({"api": None, "local": True, "provider": None, "account": None})
    assert failed.value.message == "could not read the providers here (KeyError: 'no entry for [redacted]')."


def test_a_crash_after_reading_the_codex_login_is_one_line_without_its_token(in_process, tmp_path, monkeypatch):
    from backend import cli as cli_module
    from backend import providers

    token = "codex-login-secret-token-0123456789"
    (tmp_path / ".codex").mkdir()  # base_env's HOME
    (tmp_path / ".codex" / "auth.json").write_text(json.dumps({"tokens": {"access_token": token, "account_id": "a-1"}}))
    in_process()

    def crash(state, provider, account, loader, refresh=False):  # a bug after the login was read, quoting it
        raise ValueError(f"bad header Bearer {loader.args[1]['token']}")

    monkeypatch.setattr(providers, "read", crash)
    with pytest.raises(cli_module.Fail) as failed:
        cli_module.from_local("openai_codex")
    assert failed.value.message == "could not read the providers here (ValueError: bad header Bearer [redacted])."


def test_an_unexpected_error_is_one_line_without_the_token(in_process, monkeypatch, capsys):
    from backend import cli as cli_module

    token = "sk-or-v1-unexpected-secret-0123456789"
    in_process(OPENROUTER_API_KEY=token)

    def broken(argv, environ):
        raise RuntimeError(f"cannot parse {environ['OPENROUTER_API_KEY']}")

    monkeypatch.setattr(cli_module, "statusline_options", broken)
    monkeypatch.setattr(sys, "argv", ["ai-usage", "statusline"])
    with pytest.raises(SystemExit) as ended:
        cli_module.run()
    assert ended.value.code == 70
    assert capsys.readouterr().err.strip() == "ai-usage: unexpected error (RuntimeError: cannot parse [redacted])"
