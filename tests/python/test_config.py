"""Settings: properties file, environment overrides, and the messages for bad values."""

import json

import pytest

from backend.config import load_settings, parse_properties
from backend.helpers.common import ProviderError


def settings_with(tmp_path, props=None, **env):
    environ = {"HOME": str(tmp_path), **env}
    if props is not None:
        path = tmp_path / "dashboard.properties"
        path.write_text(props)
        environ["DASHBOARD_CONFIG"] = str(path)
    return load_settings(environ)


def copilot_problem(settings):
    with pytest.raises(ProviderError) as caught:
        settings.require_copilot()
    assert caught.value.code == "not_configured"
    return caught.value.message


def test_properties_separators_and_comments():
    values, problems = parse_properties(
        "# comment\n! also comment\n\nA = 1\nB:2\nC 3\n  D  =  spaced value  \nE =\n")
    assert values == {"A": "1", "B": "2", "C": "3", "D": "spaced value", "E": ""}
    assert problems == []


def test_line_without_key_is_a_problem():
    _, problems = parse_properties("= orphan\n")
    assert problems == ["line 1 has no key before its separator"]


def test_properties_configure_copilot(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = octocat\nCOPILOT_PRO_MONTHLY_LIMIT = 1500\n", GITHUB_PAT="pat")
    assert settings.require_copilot() == ("pat", "octocat", 1500)


def test_environment_overrides_properties(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = octocat\nCOPILOT_PRO_MONTHLY_LIMIT = 1500\n",
                             GITHUB_PAT="pat", GITHUB_USERNAME="hubot", COPILOT_PRO_MONTHLY_LIMIT="50")
    assert settings.require_copilot() == ("pat", "hubot", 50)


def test_default_limit_is_300(tmp_path):
    assert settings_with(tmp_path, "GITHUB_USERNAME = u\n", GITHUB_PAT="p").require_copilot()[2] == 300


@pytest.mark.parametrize("value, phrase", [("abc", "whole number"), ("3.5", "whole number"),
                                           ("0", "above zero"), ("-4", "above zero")])
def test_bad_limit_names_the_key_the_file_and_the_fix(tmp_path, value, phrase):
    settings = settings_with(tmp_path, f"GITHUB_USERNAME = u\nCOPILOT_PRO_MONTHLY_LIMIT = {value}\n", GITHUB_PAT="p")
    message = copilot_problem(settings)
    assert "COPILOT_PRO_MONTHLY_LIMIT" in message and phrase in message
    assert "dashboard.properties" in message
    assert "300" in message


def test_bad_limit_in_environment_names_the_variable(tmp_path):
    message = copilot_problem(settings_with(tmp_path, "GITHUB_USERNAME = u\n", GITHUB_PAT="p",
                                            COPILOT_PRO_MONTHLY_LIMIT="lots"))
    assert "environment variable COPILOT_PRO_MONTHLY_LIMIT" in message


def test_missing_explicit_properties_file(tmp_path):
    settings = load_settings({"HOME": str(tmp_path), "DASHBOARD_CONFIG": str(tmp_path / "nope.properties"),
                              "GITHUB_PAT": "p", "GITHUB_USERNAME": "u"})
    message = copilot_problem(settings)
    assert "nope.properties" in message and "DASHBOARD_CONFIG" in message


def test_missing_default_properties_file_is_fine_with_env(tmp_path, monkeypatch):
    monkeypatch.setattr("backend.config.DEFAULT_PROPERTIES", tmp_path / "absent.properties")
    settings = load_settings({"HOME": str(tmp_path), "GITHUB_PAT": "p", "GITHUB_USERNAME": "u"})
    assert settings.require_copilot() == ("p", "u", 300)


def test_unreadable_properties_file(tmp_path):
    folder = tmp_path / "dir.properties"
    folder.mkdir()
    settings = load_settings({"HOME": str(tmp_path), "DASHBOARD_CONFIG": str(folder), "GITHUB_PAT": "p"})
    assert "cannot be read" in copilot_problem(settings)


def test_malformed_properties_file_names_the_line(tmp_path):
    message = copilot_problem(settings_with(tmp_path, "GITHUB_USERNAME = u\n=x\n", GITHUB_PAT="p"))
    assert "line 2" in message and "KEY = value" in message


def test_unknown_keys_and_secrets_in_properties_are_warned_about(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = u\nCOLOUR = blue\nGITHUB_PAT = ghp_leak\n")
    assert any("Unknown key COLOUR" in p for p in settings.problems)
    assert any("GITHUB_PAT" in p and "secrets belong" in p for p in settings.problems)
    assert settings.github_pat is None
    assert all("ghp_leak" not in p for p in settings.problems)


def test_missing_username_and_token_messages(tmp_path):
    assert "GITHUB_PAT" in copilot_problem(settings_with(tmp_path, ""))
    assert "GITHUB_USERNAME" in copilot_problem(settings_with(tmp_path, "", GITHUB_PAT="p"))


def test_openrouter_key_falls_back_to_anthropic_auth_token(tmp_path):
    assert settings_with(tmp_path, ANTHROPIC_AUTH_TOKEN="a").require_openrouter() == "a"
    assert settings_with(tmp_path, ANTHROPIC_AUTH_TOKEN="a", OPENROUTER_API_KEY="o").require_openrouter() == "o"
    with pytest.raises(ProviderError) as caught:
        settings_with(tmp_path).require_openrouter()
    assert "OPENROUTER_API_KEY" in caught.value.message


def write_auth(folder, token="file-token", account="file-account"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "auth.json").write_text(json.dumps({"tokens": {"access_token": token, "account_id": account}}))


def test_codex_reads_codex_home_auth_json(tmp_path):
    write_auth(tmp_path / "ch")
    assert settings_with(tmp_path, CODEX_HOME=str(tmp_path / "ch")).require_codex() == ("file-token", "file-account")


def test_codex_defaults_to_home_dot_codex(tmp_path):
    write_auth(tmp_path / ".codex")
    assert settings_with(tmp_path).require_codex() == ("file-token", "file-account")


def test_codex_environment_wins_over_auth_json(tmp_path):
    write_auth(tmp_path / ".codex")
    settings = settings_with(tmp_path, CHATGPT_ACCESS_TOKEN="env-token", CHATGPT_ACCOUNT_ID="env-account")
    assert settings.require_codex() == ("env-token", "env-account")


def test_codex_env_account_overrides_file_account(tmp_path):
    write_auth(tmp_path / ".codex")
    assert settings_with(tmp_path, CHATGPT_ACCOUNT_ID="env-account").require_codex() == ("file-token", "env-account")


def test_settings_repr_hides_secrets(tmp_path):
    settings = settings_with(tmp_path, OPENROUTER_API_KEY="sk-or-SECRET", GITHUB_PAT="ghp_SECRET",
                             CHATGPT_ACCESS_TOKEN="chat-SECRET", CHATGPT_ACCOUNT_ID="acct-SECRET")
    assert "SECRET" not in repr(settings)


@pytest.mark.parametrize("name", ["CACHE_TTL_SECONDS", "UPSTREAM_READ_TIMEOUT_SECONDS"])
def test_bad_numbers_fall_back_with_a_problem(tmp_path, name):
    settings = settings_with(tmp_path, **{name: "-3"})
    assert any(name in p for p in settings.problems)
    assert settings.cache_ttl == 60 and settings.timeout == (3.0, 10.0)


def test_numbers_from_the_properties_file(tmp_path):
    settings = settings_with(tmp_path, "CACHE_TTL_SECONDS = 5\nUPSTREAM_READ_TIMEOUT_SECONDS = 4\n")
    assert settings.cache_ttl == 5 and settings.timeout == (3.0, 4.0)


def test_base_urls_bind_and_cors_from_environment(tmp_path):
    settings = settings_with(tmp_path, OPENROUTER_API_BASE="http://127.0.0.1:9/or", API_PORT="4100",
                             CORS_ORIGINS="http://localhost:3000/, https://x.test", ALLOWED_HOSTS="Box.Local")
    assert settings.openrouter_base == "http://127.0.0.1:9/or"
    assert settings.api_port == 4100 and settings.api_host == "127.0.0.1"
    assert settings.cors_origins[-2:] == ("http://localhost:3000", "https://x.test")
    assert settings.allowed_hosts == ("box.local",)


def test_shipped_properties_file_parses_cleanly():
    from backend.config import DEFAULT_PROPERTIES, read_properties

    values, problem, warnings = read_properties(DEFAULT_PROPERTIES, explicit=True)
    assert problem is None and warnings == []
    assert values["COPILOT_PRO_MONTHLY_LIMIT"] == "300"
