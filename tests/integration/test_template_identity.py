"""Staff sign in at the user pool's hosted UI (authorization code with PKCE) and the console is
told where: what template.yaml declares, and what the local stack makes of it."""

import re

import pytest

from local import infra

pytestmark = pytest.mark.integration
RESOURCES = infra.template()["Resources"]
CLIENT = RESOURCES["UserPoolClient"]["Properties"]
PARAMETERS = infra.template()["Parameters"]


def test_the_hosted_ui_has_a_domain_of_the_pool_named_by_a_parameter():
    domain = RESOURCES["UserPoolDomain"]["Properties"]
    assert domain == {"UserPoolId": {"Ref": "UserPool"}, "Domain": {"Ref": "SignInDomainPrefix"}}
    assert "Default" not in PARAMETERS["SignInDomainPrefix"]  # a city's own name, asked at deploy time


@pytest.mark.parametrize(
    ("prefix", "allowed"),
    [
        ("bkk-1555-staff", True),
        ("a", True),
        ("x" * 63, True),
        ("x" * 64, False),
        ("", False),
        ("-staff", False),
        ("staff-", False),
        ("Staff", False),
        ("staff.1555", False),
        ("my-aws-staff", False),
        ("cognito-1555", False),
    ],
)
def test_the_prefix_is_one_cognito_accepts(prefix, allowed):
    assert bool(re.fullmatch(PARAMETERS["SignInDomainPrefix"]["AllowedPattern"], prefix)) is allowed


def test_the_console_client_signs_in_by_the_code_flow_only_and_keeps_no_secret():
    assert CLIENT["AllowedOAuthFlowsUserPoolClient"] is True
    assert CLIENT["AllowedOAuthFlows"] == ["code"]  # no implicit flow: no token in a URL
    assert set(CLIENT["AllowedOAuthScopes"]) == {"openid", "email", "profile"}
    assert CLIENT["SupportedIdentityProviders"] == ["COGNITO"]
    assert CLIENT["GenerateSecret"] is False
    assert CLIENT["EnableTokenRevocation"] is True


def test_tokens_last_an_hour_and_a_sign_in_a_shift():
    units = CLIENT["TokenValidityUnits"]
    assert (CLIENT["IdTokenValidity"], units["IdToken"]) == (1, "hours")
    assert (CLIENT["RefreshTokenValidity"], units["RefreshToken"]) == (12, "hours")


def urls(extra: str) -> tuple[list[str], list[str]]:
    refs = infra.local_values() | {"PublicBaseUrl": "https://1555.example/v1", "ConsoleExtraBaseUrl": extra}
    return infra.resolve(CLIENT["CallbackURLs"], refs), infra.resolve(CLIENT["LogoutURLs"], refs)


def test_sign_in_returns_only_to_the_console_under_the_public_base_url():
    assert urls("") == (["https://1555.example/v1/console/callback"], ["https://1555.example/v1/console"])


def test_a_second_console_base_url_is_allowed_when_given():
    callbacks, logouts = urls("https://staff.1555.example")
    assert callbacks == ["https://1555.example/v1/console/callback", "https://staff.1555.example/console/callback"]
    assert logouts == ["https://1555.example/v1/console", "https://staff.1555.example/console"]


def test_the_client_does_not_name_the_api_which_names_it():
    """The Api's authorizers name the client (through AuthorizerFunction): a reference back would
    be a circular dependency that CloudFormation refuses."""
    assert "Api" not in str(CLIENT)


def test_the_pages_function_tells_the_console_where_to_sign_in(monkeypatch):
    monkeypatch.setenv("LOCAL_PARAMETERS", '{"SignInDomainPrefix": "bkk-1555-staff"}')
    env = infra.function_environment("PagesFunction")
    assert env["CONSOLE_SIGN_IN_URL"] == f"https://bkk-1555-staff.auth.{infra.REGION}.amazoncognito.com"
    assert env["CONSOLE_CLIENT_ID"] == "local-client"  # the stand-in for the client's id


def test_locally_the_console_has_no_sign_in_address_and_keeps_the_role_switch(monkeypatch):
    monkeypatch.delenv("LOCAL_PARAMETERS", raising=False)
    assert infra.function_environment("PagesFunction")["CONSOLE_SIGN_IN_URL"] == ""


def test_the_stack_says_where_the_console_and_the_sign_in_are():
    outputs = infra.template()["Outputs"]
    refs = infra.local_values() | {"PublicBaseUrl": "https://1555.example", "SignInDomainPrefix": "staff"}
    refs["UserPoolDomain"] = "staff"
    assert infra.resolve(outputs["ConsoleUrl"]["Value"], refs) == "https://1555.example/console"
    assert infra.resolve(outputs["SignInUrl"]["Value"], refs) == f"https://staff.auth.{infra.REGION}.amazoncognito.com"
