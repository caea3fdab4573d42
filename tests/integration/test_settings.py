"""One settings object, read at cold start from what template.yaml gives each function; the
template's Cognito groups are the code's staff roles."""

import re

import pytest

from complaints.domain.model import STAFF_ROLES
from complaints.settings import Settings, SettingsError, load
from local import infra

pytestmark = pytest.mark.integration
FUNCTIONS = sorted(infra.resources("AWS::Serverless::Function"))


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_function_gets_every_setting_from_the_template(function, monkeypatch):
    for name in Settings.model_fields:
        monkeypatch.delenv(name.upper(), raising=False)
    for name, value in infra.function_environment(function).items():
        monkeypatch.setenv(name, value)
    settings = load()
    assert settings.table_name == infra.LOCAL_TABLE
    assert settings.policy.feedback_days == 14  # the template's default, not a default of the code


def test_a_missing_variable_fails_the_cold_start_naming_it(monkeypatch):
    for name, value in infra.function_environment("IntakeFunction").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("TABLE_NAME")
    monkeypatch.setenv("AUDIT_RATE", "2")
    with pytest.raises(SettingsError, match=r"TABLE_NAME.*AUDIT_RATE|AUDIT_RATE.*TABLE_NAME"):
        load()


def test_the_code_holds_no_default_for_any_setting():
    assert all(field.is_required() for field in Settings.model_fields.values())


def test_every_template_parameter_with_a_default_reaches_the_functions_unchanged():
    defaults = {name: str(p["Default"]) for name, p in infra.template()["Parameters"].items() if "Default" in p}
    env = infra.function_environment("SlaCheckFunction")
    assert env["FEEDBACK_DAYS"] == defaults["FeedbackDays"]
    assert env["AUDIT_RATE"] == defaults["AuditRate"]
    assert env["ESCALATE_AFTER_BUSINESS_DAYS"] == defaults["EscalateAfterBusinessDays"]
    assert env["DISPUTE_WINDOW_DAYS"] == defaults["DisputeWindowDays"]


def test_the_cognito_groups_are_the_staff_roles_of_the_code():
    groups = {r["Properties"]["GroupName"] for r in infra.resources("AWS::Cognito::UserPoolGroup").values()}
    assert groups == {role.value for role in STAFF_ROLES}


def test_no_setting_is_read_from_the_environment_outside_the_settings_module():
    shared = infra.ROOT / "shared" / "complaints"
    functions = infra.ROOT / "functions"
    readers = [
        p
        for p in [*shared.rglob("*.py"), *functions.rglob("*.py")]
        if re.search(r"os\.environ|os\.getenv", p.read_text(encoding="utf-8"))
    ]
    assert readers == []


def test_the_local_stack_gives_a_parameter_another_value_only_if_the_template_has_it(monkeypatch):
    monkeypatch.setenv("LOCAL_PARAMETERS", '{"MapTilesUrl": "http://tiles.invalid/{z}/{x}/{y}.png", "FeedbackDays": 7}')
    env = infra.function_environment("PagesFunction")
    assert (env["MAP_TILES_URL"], env["FEEDBACK_DAYS"]) == ("http://tiles.invalid/{z}/{x}/{y}.png", "7")
    monkeypatch.setenv("LOCAL_PARAMETERS", '{"MapTileUrl": "http://x"}')
    with pytest.raises(ValueError, match="MapTileUrl"):
        infra.function_environment("PagesFunction")
