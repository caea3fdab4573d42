"""template.yaml matches the code: handlers exist, routes are the resolver's, policies are tight."""

import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from local import infra

pytestmark = pytest.mark.integration
FUNCTIONS = infra.resources("AWS::Serverless::Function")


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_handler_and_code_uri_exists(name):
    code_dir, module, attr = infra.handler_of(name)
    assert code_dir.is_dir(), f"{name}: CodeUri {code_dir} is missing"
    assert (code_dir / f"{module}.py").is_file(), f"{name}: {module}.py is missing"
    assert callable(getattr(importlib.import_module(module), attr))


def test_layer_content_exists_with_its_requirements():
    (layer,) = infra.resources("AWS::Serverless::LayerVersion").values()
    content = infra.ROOT / layer["Properties"]["ContentUri"]
    assert (content / "requirements.txt").is_file() and (content / "complaints" / "__init__.py").is_file()


API_FUNCTIONS = sorted({r.function for r in infra.routes()})


@pytest.mark.parametrize("function", API_FUNCTIONS)
def test_template_routes_are_exactly_the_routes_the_resolver_serves(aws, function):
    _, module, _ = infra.handler_of(function)
    schema = importlib.import_module(module).app.get_openapi_schema()
    served = {
        (method.upper(), path)
        for path, item in schema.paths.items()
        for method in ("get", "post", "put", "delete", "patch")
        if getattr(item, method, None)
    }
    # API Gateway's greedy parameter ({path+}: the rest of the path) is a catch-all (.+) in powertools
    declared = {(r.method, re.sub(r"\{\w+\+\}", ".+", r.path)) for r in infra.routes() if r.function == function}
    assert declared == served


# Anyone may call them; a signed-in staff member is still known (a phone complaint's operator).
OPTIONAL_STAFF = {
    ("POST", "/complaints"),
    ("POST", "/uploads"),
    ("GET", "/complaints/{case_id}"),
    ("POST", "/complaints/{case_id}/feedback"),
}


def test_staff_only_routes_are_behind_the_cognito_authorizer():
    public = {
        ("POST", "/a/{token}/uploads"),
        ("GET", "/agencies"),
        ("GET", "/categories"),
        ("GET", "/a/{token}"),
        ("POST", "/a/{token}"),
        ("GET", "/track/{case_id}"),
        ("POST", "/track/{case_id}"),
        ("GET", "/t/{case_id}/{token}"),
        ("GET", "/report"),
        ("GET", "/"),
        ("GET", "/static/{path+}"),
        ("GET", "/console"),  # the staff console's shell: no data; its scripts call the API with the token
        ("GET", "/console/{page}"),
        # Open311 GeoReport v2: public reads; a filing needs an API key (checked by the function)
        ("GET", "/open311/v2/{document}"),
        ("POST", "/open311/v2/{document}"),
        ("GET", "/open311/v2/services/{document}"),
        ("GET", "/open311/v2/requests/{document}"),
        ("GET", "/open311/v2/tokens/{document}"),
    }
    for route in infra.routes():
        key = (route.method, route.path)
        expected = None if key in public else "OptionalStaff" if key in OPTIONAL_STAFF else "CognitoStaff"
        assert route.authorizer == expected, route


# The admins' changes of the reference data (#12): staff-only, behind the Cognito authorizer.
REFERENCE_ADMIN = {
    ("PATCH", "/agencies/{agency_id}"),
    ("POST", "/agencies"),
    ("PATCH", "/categories/{code}"),
    ("POST", "/categories"),
    ("GET", "/reference/changes"),
}


def test_the_reference_data_routes_are_declared_for_staff():
    declared = {(r.method, r.path): r.authorizer for r in infra.routes() if r.function == "IntakeFunction"}
    assert {route: declared.get(route) for route in REFERENCE_ADMIN} == dict.fromkeys(REFERENCE_ADMIN, "CognitoStaff")


# The admins' API keys of machine clients (#13): staff-only, behind the Cognito authorizer.
API_KEYS_ADMIN = {
    ("POST", "/api-keys"),
    ("GET", "/api-keys"),
    ("DELETE", "/api-keys/{key_id}"),
}


def test_the_api_key_routes_are_declared_for_staff():
    declared = {(r.method, r.path): r.authorizer for r in infra.routes() if r.function == "IntakeFunction"}
    assert {route: declared.get(route) for route in API_KEYS_ADMIN} == dict.fromkeys(API_KEYS_ADMIN, "CognitoStaff")


def test_the_contract_documents_the_bad_token_refusal_on_the_optional_identity_routes():
    """A client learns from docs/openapi.json that a bad token is refused where no token is welcome."""
    from local.openapi import document

    paths = json.loads(document())["paths"]
    for method, path in OPTIONAL_STAFF:
        assert "not a valid staff ID token" in paths[path][method.lower()]["responses"]["401"]["description"]
    staff_only = paths["/complaints/{case_id}/acknowledge"]["post"]["responses"]["401"]["description"]
    assert "not a valid staff ID token" not in staff_only


def test_the_optional_staff_authorizer_asks_for_nothing_and_caches_nothing():
    """With a cache, API Gateway would need an identity source and answer 401 to a request without
    it (the citizen) before calling the function; the function is the pool's and client's only."""
    authorizer = infra.template()["Resources"]["Api"]["Properties"]["Auth"]["Authorizers"]["OptionalStaff"]
    assert authorizer == {
        "FunctionArn": {"Fn::GetAtt": ["AuthorizerFunction", "Arn"]},
        "FunctionPayloadType": "REQUEST",
        "Identity": {"ReauthorizeEvery": 0},
    }
    props = FUNCTIONS["AuthorizerFunction"]["Properties"]
    assert props["Environment"]["Variables"] == {
        "USER_POOL_ID": {"Ref": "UserPool"},
        "USER_POOL_CLIENT_ID": {"Ref": "UserPoolClient"},
    }
    others = [f for name, f in FUNCTIONS.items() if name != "AuthorizerFunction"]
    assert not any("USER_POOL_ID" in (f["Properties"].get("Environment") or {}).get("Variables", {}) for f in others)


def test_schedules_run_in_bangkok_time():
    sla = FUNCTIONS["SlaCheckFunction"]["Properties"]["Events"]["Daily"]["Properties"]
    report = FUNCTIONS["ReportFunction"]["Properties"]["Events"]["Monthly"]["Properties"]
    assert (sla["ScheduleExpression"], sla["ScheduleExpressionTimezone"]) == ("cron(30 8 * * ? *)", "Asia/Bangkok")
    assert (report["ScheduleExpression"], report["ScheduleExpressionTimezone"]) == ("cron(0 9 1 * ? *)", "Asia/Bangkok")


@pytest.mark.parametrize(("function", "event"), [("SlaCheckFunction", "Daily"), ("ReportFunction", "Monthly")])
def test_schedules_hand_the_scheduled_time_to_the_handler(function, event):
    """EventBridge Scheduler sends only its Input: it must carry the instant the handler runs for."""
    props = FUNCTIONS[function]["Properties"]["Events"][event]["Properties"]
    assert json.loads(props["Input"])["time"] == "<aws.scheduler.scheduled-time>"


def test_table_is_on_demand_protected_encrypted_with_ttl():
    (table,) = infra.resources("AWS::DynamoDB::Table").values()
    p = table["Properties"]
    assert p["BillingMode"] == "PAY_PER_REQUEST"
    assert p["DeletionProtectionEnabled"] is True
    assert p["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert p["SSESpecification"]["SSEEnabled"] is True
    assert p["TimeToLiveSpecification"] == {"AttributeName": "ttl", "Enabled": True}


def _role_statements(function):
    """Every statement of a function's role: its own managed policies and its inline policies."""
    resources = infra.template()["Resources"]
    role = resources[FUNCTIONS[function]["Properties"]["Role"]["Fn::GetAtt"][0]]["Properties"]
    managed = [resources[ref["Ref"]]["Properties"]["PolicyDocument"] for ref in role["ManagedPolicyArns"]]
    inline = [policy["PolicyDocument"] for policy in role.get("Policies", [])]
    return [statement for document in inline + managed for statement in document["Statement"]]


def test_policies_are_least_privilege():
    for name in FUNCTIONS:
        assert "Policies" not in FUNCTIONS[name]["Properties"], f"{name}: permissions belong to its role"
        for statement in _role_statements(name):
            assert set(statement) <= {"Sid", "Effect", "Action", "Resource", "Condition"}, statement
            actions = statement["Action"]
            assert all("*" not in a for a in actions), f"{name}: wildcard action"
            assert "dynamodb:Scan" not in actions, f"{name} may Scan"
            if statement["Resource"] == "*":
                assert actions in (["sns:Publish"], ["xray:PutTraceSegments", "xray:PutTelemetryRecords"]), (
                    f"{name}: only SMS and traces may use Resource '*'"
                )
    report = _role_statements("ReportFunction")[0]
    assert report["Action"] == ["dynamodb:Query"]


def test_the_report_function_reads_the_reference_data_item_and_nothing_else_of_it():
    """It names agencies in the report: the catalogue in force is the bundled data and the stored changes."""
    [read] = [s for s in _role_statements("ReportFunction") if s.get("Sid") == "ReferenceDataRead"]
    assert read["Action"] == ["dynamodb:GetItem"]
    assert read["Condition"] == {"ForAllValues:StringEquals": {"dynamodb:LeadingKeys": ["REFERENCE"]}}


def test_no_secret_or_default_address_in_parameters():
    params = infra.template()["Parameters"]
    for name in ("SenderAddress", "ExecutiveAddresses", "PublicBaseUrl"):
        assert "Default" not in params[name]


def test_cfn_lint_passes():
    cfn_lint = Path(sys.executable).with_name("cfn-lint")
    out = subprocess.run([str(cfn_lint), str(infra.TEMPLATE)], capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


def test_local_table_is_built_from_the_template(aws):
    desc = aws.client("dynamodb").describe_table(TableName=infra.LOCAL_TABLE)["Table"]
    (table,) = infra.resources("AWS::DynamoDB::Table").values()
    assert {i["IndexName"] for i in desc["GlobalSecondaryIndexes"]} == {
        i["IndexName"] for i in table["Properties"]["GlobalSecondaryIndexes"]
    }


def test_committed_openapi_document_is_what_the_resolver_generates():
    from local.openapi import document

    committed = (infra.ROOT / "docs" / "openapi.json").read_text(encoding="utf-8")
    assert committed.strip() == document().strip(), "run `make openapi` and commit docs/openapi.json"


def test_operators_are_alarmed_by_the_sweep():
    alarms = infra.resources("AWS::CloudWatch::Alarm")
    metrics = {a["Properties"]["MetricName"] for a in alarms.values()}
    assert {"Errors", "SweepCompleted", "LateCases", "ApproximateNumberOfMessagesVisible"} <= metrics
    for alarm in alarms.values():
        assert alarm["Properties"]["AlarmActions"] == [{"Ref": "OperatorsTopic"}]
    missing = next(a["Properties"] for a in alarms.values() if a["Properties"]["MetricName"] == "SweepCompleted")
    assert missing["Period"] * missing["EvaluationPeriods"] == 26 * 3600
    assert missing["TreatMissingData"] == "breaching"
    sweep = FUNCTIONS["SlaCheckFunction"]["Properties"]
    assert sweep["EventInvokeConfig"]["DestinationConfig"]["OnFailure"]["Destination"] == {
        "Fn::GetAtt": ["SweepDeadLetterQueue", "Arn"]
    }


def test_the_metrics_the_alarms_watch_are_the_ones_the_sweep_emits():
    import inspect

    import sla_check

    source = inspect.getsource(sla_check)
    for alarm in infra.resources("AWS::CloudWatch::Alarm").values():
        props = alarm["Properties"]
        if props["Namespace"] == "Complaints1555":
            assert f'"{props["MetricName"]}"' in source
            assert (
                infra.template()["Globals"]["Function"]["Environment"]["Variables"]["POWERTOOLS_METRICS_NAMESPACE"]
                == "Complaints1555"
            )
