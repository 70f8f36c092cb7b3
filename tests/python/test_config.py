"""Settings: properties file, environment overrides, accounts, and the messages for bad values."""

import json
import os

import pytest

from backend import providers
from backend.config import DEFAULT_PROPERTIES, load_settings, parse_properties, read_properties
from backend.errors import ProviderError
from backend.registry import by_id


def settings_with(tmp_path, props=None, **env):
    environ = {"HOME": str(tmp_path), **env}
    if props is not None:
        path = tmp_path / "dashboard.properties"
        path.write_text(props)
        environ["DASHBOARD_CONFIG"] = str(path)
    else:
        environ["DASHBOARD_CONFIG"] = str(tmp_path / "absent.properties")
        (tmp_path / "absent.properties").write_text("")
    return load_settings(environ)


def creds(settings, provider_id, account="default"):
    return providers.credentials_for(settings, by_id(provider_id), account)


def problem(settings, provider_id, account="default", code="not_configured"):
    with pytest.raises(ProviderError) as caught:
        creds(settings, provider_id, account)
    assert caught.value.code == code, caught.value.message
    return caught.value.message


def test_properties_separators_and_comments():
    values, problems = parse_properties(
        "# comment\n! also comment\n\nA1 = 1\nB2:2\nC3 3\n  D4  =  spaced value  \nE5 =\n")
    assert {k: v for k, (v, _) in values.items()} == {"A1": "1", "B2": "2", "C3": "3", "D4": "spaced value", "E5": ""}
    assert problems == []


@pytest.mark.parametrize("line", ["= orphan", "ghp_SECRETtokenPASTEDalone0123456789", "sk-or-v1-abc = x"])
def test_a_line_that_is_not_a_setting_is_named_by_number_never_echoed(line):
    _, problems = parse_properties(f"CACHE_TTL_SECONDS = 5\n{line}\n")
    assert problems == ["line 2 is not a `KEY = value` setting"]


def test_a_token_pasted_in_the_properties_file_never_reaches_problems(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = u\nghp_SECRETpasted0123456789\nCOLOUR = blue\nGITHUB_PAT = ghp_leak\n")
    text = " ".join(settings.problems) + (settings.properties_problem or "")
    assert "ghp_SECRET" not in text and "ghp_leak" not in text and "COLOUR" not in text
    assert "line 2" in settings.properties_problem
    assert any("Line 3" in p and "unknown key" in p for p in settings.problems)
    assert any("GITHUB_PAT on line 4" in p and "secrets belong" in p for p in settings.problems)
    assert "GITHUB_PAT" not in settings.values


def test_properties_and_environment_configure_copilot(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = octocat\nCOPILOT_PLAN = pro_plus\n", GITHUB_PAT="pat")
    found = creds(settings, "github_copilot")
    assert (found["token"], found["username"], found["plan"], found["mode"]) == ("pat", "octocat", "pro_plus", "auto")
    settings = settings_with(tmp_path, "GITHUB_USERNAME = octocat\n", GITHUB_PAT="pat", GITHUB_USERNAME="hubot")
    assert creds(settings, "github_copilot")["username"] == "hubot"


@pytest.mark.parametrize("value", ["abc", "0", "-4"])
def test_bad_allowance_names_the_key_where_it_is_set_and_the_fix(tmp_path, value):
    settings = settings_with(tmp_path, f"GITHUB_USERNAME = u\nCOPILOT_MONTHLY_ALLOWANCE = {value}\n", GITHUB_PAT="p")
    message = problem(settings, "github_copilot", code="config_invalid")
    assert "COPILOT_MONTHLY_ALLOWANCE" in message and "dashboard.properties" in message and "restart" in message


def test_bad_plan_and_billing_are_config_invalid(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = u\n", GITHUB_PAT="p", COPILOT_PLAN="gold")
    assert "environment variable COPILOT_PLAN" in problem(settings, "github_copilot", code="config_invalid")
    settings = settings_with(tmp_path, "GITHUB_USERNAME = u\n", GITHUB_PAT="p", COPILOT_BILLING="both")
    assert "COPILOT_BILLING" in problem(settings, "github_copilot", code="config_invalid")


def test_missing_explicit_properties_file_is_reported_on_the_card_that_needs_it(tmp_path):
    settings = load_settings({"HOME": str(tmp_path), "DASHBOARD_CONFIG": str(tmp_path / "nope.properties"),
                              "GITHUB_PAT": "p"})
    message = problem(settings, "github_copilot", code="config_invalid")
    assert "nope.properties" in message and "DASHBOARD_CONFIG" in message


def test_missing_default_properties_file_is_fine_with_env(tmp_path, monkeypatch):
    monkeypatch.setattr("backend.config.DEFAULT_PROPERTIES", tmp_path / "absent.properties")
    settings = load_settings({"HOME": str(tmp_path), "GITHUB_PAT": "p", "GITHUB_USERNAME": "u"})
    assert creds(settings, "github_copilot")["username"] == "u"


def test_missing_username_and_token_messages(tmp_path):
    assert "GITHUB_PAT" in problem(settings_with(tmp_path, ""), "github_copilot")
    assert "GITHUB_USERNAME" in problem(settings_with(tmp_path, "", GITHUB_PAT="p"), "github_copilot")


def test_openrouter_key_falls_back_to_anthropic_auth_token(tmp_path):
    assert creds(settings_with(tmp_path, ANTHROPIC_AUTH_TOKEN="a"), "openrouter")["api_key"] == "a"
    assert creds(settings_with(tmp_path, ANTHROPIC_AUTH_TOKEN="a", OPENROUTER_API_KEY="o"), "openrouter")["api_key"] == "o"
    assert "OPENROUTER_API_KEY" in problem(settings_with(tmp_path), "openrouter")


# ---- accounts ----------------------------------------------------------------------------------

def test_suffixed_settings_define_accounts_with_their_own_values(tmp_path):
    settings = settings_with(tmp_path, "GITHUB_USERNAME__WORK = octo-work\n", OPENROUTER_API_KEY="k1",
                             OPENROUTER_API_KEY__WORK="k2", OPENROUTER_API_KEY__SIDE_PROJECT="k3",
                             GITHUB_PAT="p", GITHUB_USERNAME="octocat", GITHUB_PAT__WORK="pw")
    router, copilot = by_id("openrouter"), by_id("github_copilot")
    assert settings.accounts(router) == ["default", "side-project", "work"]
    assert settings.accounts(copilot) == ["default", "work"]
    assert settings.accounts(by_id("openai_codex")) == ["default"]
    assert creds(settings, "openrouter", "work")["api_key"] == "k2"
    assert creds(settings, "openrouter", "side-project")["api_key"] == "k3"
    work = creds(settings, "github_copilot", "work")
    assert (work["token"], work["username"]) == ("pw", "octo-work")


def test_an_account_missing_a_setting_names_its_suffixed_variable(tmp_path):
    settings = settings_with(tmp_path, "", GITHUB_PAT__WORK="pw")
    assert "GITHUB_USERNAME__WORK" in problem(settings, "github_copilot", "work")
    settings = settings_with(tmp_path, "", GITHUB_USERNAME__WORK="octo")
    assert "GITHUB_PAT__WORK" in problem(settings, "github_copilot", "work")


def test_an_account_never_borrows_the_default_accounts_secret(tmp_path):
    settings = settings_with(tmp_path, "", OPENROUTER_API_KEY="k1", OPENROUTER_MANAGEMENT_KEY__WORK="m2")
    assert "OPENROUTER_API_KEY__WORK" in problem(settings, "openrouter", "work")


def test_an_invalid_account_name_is_a_problem_not_an_account(tmp_path):
    settings = settings_with(tmp_path, "", OPENROUTER_API_KEY__W_O_R_K_="k")
    assert settings.accounts(by_id("openrouter")) == ["default"]
    assert any("account name" in p for p in settings.problems)


# ---- Codex login -------------------------------------------------------------------------------

def write_auth(folder, token="file-token", account="file-account"):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "auth.json").write_text(json.dumps({"tokens": {"access_token": token, "account_id": account}}))


def codex(settings, account="default"):
    found = creds(settings, "openai_codex", account)
    return found["token"], found["account_id"]


def test_codex_reads_codex_home_auth_json(tmp_path):
    write_auth(tmp_path / "ch")
    assert codex(settings_with(tmp_path, CODEX_HOME=str(tmp_path / "ch"))) == ("file-token", "file-account")


def test_codex_defaults_to_home_dot_codex(tmp_path):
    write_auth(tmp_path / ".codex")
    assert codex(settings_with(tmp_path)) == ("file-token", "file-account")


def test_codex_environment_wins_over_auth_json(tmp_path):
    write_auth(tmp_path / ".codex")
    settings = settings_with(tmp_path, CHATGPT_ACCESS_TOKEN="env-token", CHATGPT_ACCOUNT_ID="env-account")
    assert codex(settings) == ("env-token", "env-account")


def test_codex_env_account_overrides_file_account(tmp_path):
    write_auth(tmp_path / ".codex")
    assert codex(settings_with(tmp_path, CHATGPT_ACCOUNT_ID="env-account")) == ("file-token", "env-account")


def test_a_second_codex_login_comes_from_its_own_codex_home(tmp_path):
    write_auth(tmp_path / ".codex")
    write_auth(tmp_path / "work", token="work-token", account="work-account")
    settings = settings_with(tmp_path, CODEX_HOME__WORK=str(tmp_path / "work"))
    assert codex(settings) == ("file-token", "file-account")
    assert codex(settings, "work") == ("work-token", "work-account")


# ---- numbers, bind, repr -----------------------------------------------------------------------

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
    settings = settings_with(tmp_path, "CACHE_TTL_SECONDS = 5\nUPSTREAM_READ_TIMEOUT_SECONDS = 4\nWARNING_PERCENT = 70\n")
    assert settings.cache_ttl == 5 and settings.timeout == (3.0, 4.0) and settings.warning_percent == 70


def test_base_urls_bind_and_cors_from_environment(tmp_path):
    settings = settings_with(tmp_path, OPENROUTER_API_BASE="http://127.0.0.1:9/or", API_PORT="4100",
                             CORS_ORIGINS="http://localhost:3000/, https://x.test", ALLOWED_HOSTS="Box.Local")
    assert settings.bases["openrouter"] == "http://127.0.0.1:9/or"
    assert settings.api_port == 4100 and settings.api_host == "127.0.0.1"
    assert settings.cors_origins[-2:] == ("http://localhost:3000", "https://x.test")
    assert settings.allowed_hosts == ("box.local",)


def test_shipped_properties_file_parses_cleanly():
    values, problem_text, warnings = read_properties(DEFAULT_PROPERTIES, True, lambda key: True)
    assert problem_text is None and warnings == []
    assert values["CACHE_TTL_SECONDS"] == "60"


# ---- files that are not what they seem -----------------------------------------------------------

def test_a_settings_file_that_is_a_folder_fifo_or_device_is_refused_quickly(tmp_path):
    folder = tmp_path / "dir.properties"
    folder.mkdir()
    fifo = tmp_path / "fifo.properties"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.properties"
    zero.symlink_to("/dev/zero")
    for path in (folder, fifo, zero):
        settings = load_settings({"HOME": str(tmp_path), "DASHBOARD_CONFIG": str(path), "GITHUB_PAT": "p"})
        assert "cannot be read" in settings.properties_problem and "regular file" in settings.properties_problem
        assert "cannot be read" in problem(settings, "github_copilot", code="config_invalid")


def test_a_huge_settings_file_is_refused_without_reading_it(tmp_path):
    big = tmp_path / "big.properties"
    with open(big, "wb") as handle:
        handle.truncate(20 * 1024 * 1024)
    settings = load_settings({"HOME": str(tmp_path), "DASHBOARD_CONFIG": str(big)})
    assert "larger than 1024 KB" in settings.properties_problem


@pytest.mark.parametrize("name, provider", [("OPENROUTER_API_KEY", "openrouter"), ("GITHUB_PAT", "github_copilot")])
@pytest.mark.parametrize("token", ["sk-or-v1-abc\ndef", "abc\u200bdef", "two words", "tøken"])
def test_a_token_that_cannot_be_a_header_is_a_local_error_naming_the_variable(tmp_path, name, provider, token):
    settings = settings_with(tmp_path, "GITHUB_USERNAME = u\n", **{name: token})
    message = problem(settings, provider, code="config_invalid")
    assert name in message and "restart" in message and token not in message
