"""What the deployment promises about security, read from template.yaml (docs/security.md).

Least privilege, encryption at rest, the table's protection, the API's throttle,
access log and WAF, one sweep at a time, and SnapStart on the API functions.
The template is read with CloudFormation's short tags (``local.infra``), as the
local stack reads it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import pytest

from local import infra

pytestmark = pytest.mark.integration

TEMPLATE = infra.template()
RESOURCES = TEMPLATE["Resources"]
PARAMETERS = TEMPLATE["Parameters"]
FUNCTIONS = infra.resources("AWS::Serverless::Function")

# --------------------------------------------------------------------------- least privilege

# Statements allowed Resource "*", and why. Nothing else may have it.
NO_ARN = {
    # An SMS is published to a phone number, which has no ARN.
    frozenset({"sns:Publish"}): "SMS to a phone number",
    # Trace segments (Tracing: Active) are sent to X-Ray, which has no resource ARN for them.
    frozenset({"xray:PutTraceSegments", "xray:PutTelemetryRecords"}): "X-Ray traces",
}


def _statements(node: Any, where: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every permission anywhere in ``node``: inline and managed policies, key policies."""
    if isinstance(node, dict):
        if "Effect" in node and ({"Action", "NotAction"} & set(node)):
            yield where, node
            return
        for key, value in node.items():
            if key != "AssumeRolePolicyDocument":  # who may take a role, not what it may do
                yield from _statements(value, f"{where}.{key}" if where else key)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _statements(value, f"{where}[{i}]")


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _text(value: Any) -> str:
    """A resource as text: a literal ARN, or the string of its ``!Sub``."""
    if isinstance(value, dict) and "Fn::Sub" in value:
        sub = value["Fn::Sub"]
        return sub if isinstance(sub, str) else sub[0]
    return value if isinstance(value, str) else ""


def _is_wildcard(resource: Any) -> bool:
    """``*``, or an ARN whose service, region, account or whole resource part is a wildcard."""
    text = _text(resource)
    if text == "*":
        return True
    parts = text.split(":", 5)  # arn, partition, service, region, account, resource
    return text.startswith("arn:") and any(p == "*" for p in parts[2:])


ALL_STATEMENTS = list(_statements(RESOURCES))


def _tls_only(where: str, statement: dict[str, Any]) -> bool:
    """The one kind of denial there is: a bucket policy refusing every request made without TLS."""
    return (
        RESOURCES[where.split(".")[0]]["Type"] == "AWS::S3::BucketPolicy"
        and statement["Effect"] == "Deny"
        and statement["Action"] == "s3:*"
        and statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    )


GRANTS = [(w, s) for w, s in ALL_STATEMENTS if not _tls_only(w, s)]


def test_the_template_has_the_policies_this_test_reads():
    places = {where.split(".")[0] for where, _ in ALL_STATEMENTS}
    assert {"CaseWriterPolicy", "TracingPolicy", "ApiRole", "SweepRole", "ReportRole", "OperatorsTopicKey"} <= places
    assert len(ALL_STATEMENTS) - len(GRANTS) == len(infra.resources("AWS::S3::BucketPolicy"))


@pytest.mark.parametrize(("where", "statement"), GRANTS, ids=[w for w, _ in GRANTS])
def test_no_statement_grants_a_wildcard_action(where, statement):
    assert "NotAction" not in statement and "NotResource" not in statement, where
    assert statement["Effect"] == "Allow", f"{where}: say what is allowed, not what is not"
    for action in _listed(statement["Action"]):
        assert isinstance(action, str) and "*" not in action, f"{where}: wildcard action {action}"


def _key_policy(where: str) -> bool:
    return RESOURCES[where.split(".")[0]]["Type"] == "AWS::KMS::Key"


@pytest.mark.parametrize(("where", "statement"), GRANTS, ids=[w for w, _ in GRANTS])
def test_no_wildcard_resource_except_where_aws_has_no_arn(where, statement):
    wild = [r for r in _listed(statement["Resource"]) if _is_wildcard(r)]
    if not wild:
        return
    if _key_policy(where):
        # In a key policy, Resource "*" means the key itself: a key cannot name its own ARN.
        assert wild == ["*"], where
        return
    assert frozenset(_listed(statement["Action"])) in NO_ARN, f"{where}: {wild} for {statement['Action']}"


def test_no_principal_is_anybody():
    for where, statement in GRANTS:
        principal = statement.get("Principal")
        assert principal != "*" and "*" not in _listed((principal or {}).get("AWS", [])), where


def _role(function: str) -> dict[str, Any]:
    role = FUNCTIONS[function]["Properties"]["Role"]
    assert set(role) == {"Fn::GetAtt"} and role["Fn::GetAtt"][1] == "Arn", f"{function}: a role of this template"
    return RESOURCES[role["Fn::GetAtt"][0]]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_function_has_a_role_of_ours_and_no_aws_managed_policy(function):
    """SAM's own roles carry AWSLambdaBasicExecutionRole (logs on "*"): every function has ours,
    whose managed policies are this template's, never AWS's (a bare ARN or a name)."""
    props = FUNCTIONS[function]["Properties"]
    assert "Policies" not in props, f"{function}: SAM ignores Policies when a Role is given"
    role = _role(function)
    assert role["Type"] == "AWS::IAM::Role"
    for arn in role["Properties"].get("ManagedPolicyArns", []):
        assert set(arn) == {"Ref"} and RESOURCES[arn["Ref"]]["Type"] == "AWS::IAM::ManagedPolicy", arn
    trust = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust == [{"Effect": "Allow", "Principal": {"Service": "lambda.amazonaws.com"}, "Action": "sts:AssumeRole"}]


def _log_group(function: str) -> str:
    return FUNCTIONS[function]["Properties"]["LoggingConfig"]["LogGroup"]["Ref"]


@pytest.mark.parametrize("function", sorted(FUNCTIONS))
def test_each_function_logs_only_to_its_own_log_group(function):
    """Its role may write its log group (and a sibling's sharing the role), no other, and create none."""
    group = _log_group(function)
    assert RESOURCES[group]["Type"] == "AWS::Logs::LogGroup"
    assert RESOURCES[group]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    logs = [s for _, s in _statements(_role(function)) if any(a.startswith("logs:") for a in _listed(s["Action"]))]
    assert all(set(_listed(s["Action"])) == {"logs:CreateLogStream", "logs:PutLogEvents"} for s in logs)
    written = {r["Fn::GetAtt"][0] for s in logs for r in _listed(s["Resource"])}
    same_role = {_log_group(f) for f in FUNCTIONS if _role(f) is _role(function)}
    assert group in written and written <= same_role


def test_the_wildcard_exceptions_are_exactly_sms_and_traces():
    wild = {frozenset(_listed(s["Action"])) for w, s in GRANTS if "*" in _listed(s["Resource"]) and not _key_policy(w)}
    assert wild == set(NO_ARN)


# --------------------------------------------------------------------------- encryption at rest


def _encrypted(kind: str, props: dict[str, Any]) -> bool:
    if kind == "AWS::DynamoDB::Table":
        return props.get("SSESpecification", {}).get("SSEEnabled") is True
    if kind == "AWS::SNS::Topic":
        return "KmsMasterKeyId" in props
    if kind == "AWS::SQS::Queue":
        return props.get("SqsManagedSseEnabled") is True or "KmsMasterKeyId" in props
    if kind == "AWS::SecretsManager::Secret":
        # Always encrypted (KMS); its value is generated by AWS, never written in the template.
        return "GenerateSecretString" in props and "SecretString" not in props
    if kind == "AWS::S3::Bucket":
        rules = props.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
        return bool(rules) and all(r["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms" for r in rules)
    if kind == "AWS::Logs::LogGroup":
        # CloudWatch Logs always encrypts at rest; ours must at least expire.
        return "RetentionInDays" in props
    raise AssertionError(f"{kind} holds data: say here how it is encrypted at rest")


DATA_KINDS = ("DynamoDB", "SNS::Topic", "SQS::Queue", "SecretsManager", "Logs::LogGroup", "S3", "EFS", "RDS")


def test_everything_that_holds_data_is_encrypted_at_rest():
    holders = {
        n: r
        for n, r in RESOURCES.items()
        if any(k in r["Type"] for k in DATA_KINDS) and r["Type"] != "AWS::S3::BucketPolicy"
    }
    assert {
        "CasesTable",
        "OperatorsTopic",
        "SweepDeadLetterQueue",
        "LinkSecret",
        "ApiAccessLogs",
        "PhotosBucket",
    } <= set(holders)
    for name, resource in holders.items():
        assert _encrypted(resource["Type"], resource.get("Properties", {})), name


def test_keys_of_our_own_rotate():
    for name, key in infra.resources("AWS::KMS::Key").items():
        assert key["Properties"]["EnableKeyRotation"] is True, name


def test_the_table_survives_a_mistake():
    """Point-in-time recovery, deletion protection, and kept when the stack is deleted or replaced."""
    (table,) = infra.resources("AWS::DynamoDB::Table").values()
    assert table["Properties"]["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
    assert table["Properties"]["DeletionProtectionEnabled"] is True
    assert (table["DeletionPolicy"], table["UpdateReplacePolicy"]) == ("Retain", "Retain")


# --------------------------------------------------------------------------- the API stage

API = RESOURCES["Api"]["Properties"]


def _number_parameter(name: str) -> int:
    param = PARAMETERS[name]
    assert param["Type"] == "Number" and param["MinValue"] >= 1, name
    return int(param["Default"])


def test_the_stage_is_throttled_by_parameters():
    (everything,) = [m for m in API["MethodSettings"] if (m["ResourcePath"], m["HttpMethod"]) == ("/*", "*")]
    assert everything["ThrottlingRateLimit"] == {"Ref": "ApiThrottlingRateLimit"}
    assert everything["ThrottlingBurstLimit"] == {"Ref": "ApiThrottlingBurstLimit"}
    assert _number_parameter("ApiThrottlingBurstLimit") >= _number_parameter("ApiThrottlingRateLimit") > 0


def test_execution_logs_are_off():
    """API Gateway's execution logs print the concrete path and query string, with tokens."""
    for setting in API["MethodSettings"]:
        assert setting.get("LoggingLevel", "OFF") == "OFF"
        assert setting.get("DataTraceEnabled", False) is False


# What an access-log line may carry: nothing of the concrete path, the query string or the body.
LOGGED = {
    "requestId", "requestTimeEpoch", "identity.sourceIp", "httpMethod", "resourcePath", "status",
    "responseLength", "responseLatency", "integrationLatency", "error.responseType", "wafResponseCode",
    "xrayTraceId",
}  # fmt: skip
FORMAT = API.get("AccessLogSetting", {}).get("Format", "")


def test_access_logs_go_to_a_log_group_of_the_stack():
    assert API["AccessLogSetting"]["DestinationArn"] == {"Fn::GetAtt": ["ApiAccessLogs", "Arn"]}
    assert RESOURCES["ApiAccessLogs"]["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}


def test_access_logs_carry_the_route_and_no_concrete_path_or_query():
    assert set(re.findall(r"\$context\.([\w.]+)", FORMAT)) <= LOGGED
    assert "$context.resourcePath" in FORMAT
    assert not re.search(r"\$(input|util|method|request|stageVariables)\b", FORMAT)


def _rendered(event: dict[str, Any]) -> dict[str, Any]:
    """The access-log line API Gateway would write for ``event`` ($context.x = requestContext's x)."""
    context = event["requestContext"] | {"status": "200", "responseLength": "512", "xrayTraceId": "1-abc"}

    def value(match: re.Match[str]) -> str:
        node: Any = context
        for part in match.group(1).split("."):
            node = node.get(part, "-") if isinstance(node, dict) else "-"
        return str(node)

    return json.loads(re.sub(r"\$context\.([\w.]+)", value, FORMAT))


@pytest.mark.parametrize(
    ("resource", "path", "query"),
    [
        ("/a/{token}", "/a/eyJjYXNlIjoiMjYwNC03S1E0WE0ifQ.c2lnbmF0dXJl", None),
        ("/track/{case_id}", "/track/2604-7KQ4XM", {"token": "tK3n-0f-the-c1t1zen-192b1ts"}),
        ("/complaints/{case_id}", "/complaints/2604-7KQ4XM", {"token": "tK3n-0f-the-c1t1zen-192b1ts"}),
    ],
)
def test_an_access_log_line_never_holds_a_link_or_tracking_token(api_event, resource, path, query):
    event = api_event("GET", path, resource=resource, query=query)
    line = _rendered(event)
    secrets = [path.rsplit("/", 1)[1] if resource.startswith("/a/") else None, *(query or {}).values()]
    text = json.dumps(line)
    assert line["route"] == resource
    assert all(s not in text for s in secrets if s), text


@pytest.fixture
def api_event():
    sample = json.loads((infra.ROOT / "tests" / "events" / "api_gateway_rest.json").read_text(encoding="utf-8"))

    def make(method: str, path: str, *, resource: str, query: dict[str, str] | None) -> dict[str, Any]:
        event = copy.deepcopy(sample)
        event.update(httpMethod=method, path=path, resource=resource, queryStringParameters=query, body=None)
        stage = event["requestContext"]["stage"]
        event["requestContext"].update(httpMethod=method, path=f"/{stage}{path}", resourcePath=resource)
        return event

    return make


# --------------------------------------------------------------------------- WAF

WEB_ACL = RESOURCES.get("WebAcl", {}).get("Properties", {})
RULES = {rule["Name"]: rule for rule in WEB_ACL.get("Rules", [])}


def test_the_web_acl_guards_the_api_stage():
    assert {"filing-per-source", "public-pages-per-source"} <= set(RULES)
    assert API["EndpointConfiguration"] == {"Type": "REGIONAL"}, "the WAF must see the clients' own addresses"
    assert WEB_ACL["Scope"] == "REGIONAL" and WEB_ACL["DefaultAction"] == {"Allow": {}}
    (association,) = infra.resources("AWS::WAFv2::WebACLAssociation").values()
    props = association["Properties"]
    assert props["WebACLArn"] == {"Fn::GetAtt": ["WebAcl", "Arn"]}
    assert props["ResourceArn"]["Fn::Sub"].endswith("/restapis/${Api}/stages/${Api.Stage}")


def _paths_matched(rule: dict[str, Any]) -> list[re.Pattern[str]]:
    scope = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["AndStatement"]["Statements"]
    return [re.compile(s["RegexMatchStatement"]["RegexString"]) for s in scope if "RegexMatchStatement" in s]


def _paths_excluded(rule: dict[str, Any]) -> list[re.Pattern[str]]:
    scope = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["AndStatement"]["Statements"]
    negated = [s["NotStatement"]["Statement"] for s in scope if "NotStatement" in s]
    return [re.compile(s["RegexMatchStatement"]["RegexString"]) for s in negated if "RegexMatchStatement" in s]


def _methods_matched(rule: dict[str, Any]) -> set[str] | None:
    scope = rule["Statement"]["RateBasedStatement"]["ScopeDownStatement"]["AndStatement"]["Statements"]
    methods = [
        s["ByteMatchStatement"] for s in scope if "Method" in s.get("ByteMatchStatement", {}).get("FieldToMatch", {})
    ]
    return {m["SearchString"] for m in methods} if methods else None


def _counted_by(method: str, concrete: str) -> list[str]:
    return [
        name
        for name, rule in RULES.items()
        if all(p.search(concrete) for p in _paths_matched(rule))
        and not any(p.search(concrete) for p in _paths_excluded(rule))
        and (_methods_matched(rule) is None or method in _methods_matched(rule))
    ]


def _concrete(path: str) -> str:
    """A path as WAF sees it on the execute-api endpoint: the stage first, values for parameters."""
    return "/v1" + re.sub(
        r"\{(\w+)\}", lambda m: {"token": "eyJhIjoxfQ.c2ln", "day": "2026-04-13"}.get(m[1], "2604-7KQ4XM"), path
    )


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_limits_one_source_address_by_a_parameter_and_answers_429(rule):
    statement = RULES[rule]["Statement"]["RateBasedStatement"]
    assert statement["AggregateKeyType"] == "IP" and statement["EvaluationWindowSec"] == 300
    assert _number_parameter(statement["Limit"]["Ref"]) >= 10  # WAF's minimum
    assert RULES[rule]["Action"]["Block"]["CustomResponse"]["ResponseCode"] == 429
    scope = statement["ScopeDownStatement"]["AndStatement"]["Statements"]
    staff = {
        "NotStatement": {"Statement": {"IPSetReferenceStatement": {"Arn": {"Fn::GetAtt": ["StaffAddresses", "Arn"]}}}}
    }
    assert staff in scope, "the call centre's offices file for callers: they are not counted"


# Authorizers that let anybody through (the optional staff identity): their routes are public.
ANYONE = (None, "OptionalStaff")


def test_every_public_route_is_rate_limited_per_source_and_filing_most_strictly():
    public = [r for r in infra.routes() if r.authorizer in ANYONE]
    assert public
    for route in public:
        assert _counted_by(route.method, _concrete(route.path)), route
    assert _counted_by("POST", "/v1/complaints") == ["filing-per-source"]
    assert _counted_by("POST", "/v1/complaints/") == ["filing-per-source"]
    filing = int(PARAMETERS["FilingRateLimitPerIp"]["Default"])
    assert filing <= int(PARAMETERS["PublicPagesRateLimitPerIp"]["Default"])


def test_staff_only_routes_are_not_counted():
    public = {(r.method, r.path) for r in infra.routes() if r.authorizer in ANYONE}
    for route in infra.routes():
        if route.authorizer not in ANYONE and not any(path == route.path for _, path in public):
            assert _counted_by(route.method, _concrete(route.path)) == [], route


def test_waf_keeps_no_sample_of_requests():
    """Sampled requests keep the URI and headers: agency link tokens, tracking tokens."""
    configs = [WEB_ACL["VisibilityConfig"], *(rule["VisibilityConfig"] for rule in RULES.values())]
    assert all(c["SampledRequestsEnabled"] is False for c in configs)
    assert not infra.resources("AWS::WAFv2::LoggingConfiguration")


# --------------------------------------------------------------------------- functions


@pytest.mark.parametrize("function", ["SlaCheckFunction", "ReportFunction"])
def test_scheduled_jobs_never_run_twice_at_once(function):
    assert FUNCTIONS[function]["Properties"]["ReservedConcurrentExecutions"] == 1


API_FUNCTIONS = sorted({r.function for r in infra.routes()})


def test_snapstart_is_on_for_the_api_functions_and_only_them():
    runtime = TEMPLATE["Globals"]["Function"]["Runtime"]
    major, minor = (int(x) for x in runtime.removeprefix("python").split("."))
    assert (major, minor) >= (3, 12), "SnapStart for Python needs 3.12 or later"
    for name, fn in FUNCTIONS.items():
        props = fn["Properties"]
        if name in API_FUNCTIONS:
            assert props["SnapStart"] == {"ApplyOn": "PublishedVersions"}, name
            assert props["AutoPublishAlias"], f"{name}: SnapStart needs a published version behind an alias"
            assert props.get("ProvisionedConcurrencyConfig") is None and props.get("EphemeralStorage") is None
        else:
            assert "SnapStart" not in props, f"{name} runs on a schedule: a cold start costs nobody"


@pytest.mark.parametrize("function", API_FUNCTIONS)
def test_the_snapshot_holds_no_aws_client_and_no_secret(function):
    """What the handler makes at import is frozen into the snapshot and shared by every restored
    environment: no client of ours (connections, credentials), no secret, no random state of ours."""
    code_dir, module, _ = infra.handler_of(function)
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "POWERTOOLS_", "PYTHON"))}
    env |= infra.function_environment(function) | {
        "AWS_REGION": infra.REGION,
        "AWS_DEFAULT_REGION": infra.REGION,
        "PYTHONPATH": os.pathsep.join([str(code_dir), str(infra.ROOT / "shared")]),
    }
    probe = (
        "import gc, json, botocore.client\n"
        f"import {module}\n"
        "from complaints import wiring\n"
        "clients = sorted({o.meta.service_model.service_name for o in gc.get_objects()"
        " if isinstance(o, botocore.client.BaseClient)})\n"
        "print(json.dumps({'clients': clients, 'built': wiring.ports.cache_info().currsize"
        " + wiring.usecases.cache_info().currsize}))\n"
    )
    out = subprocess.run([sys.executable, "-c", probe], env=env, cwd=code_dir, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    made = json.loads(out.stdout.strip().splitlines()[-1])
    # The X-Ray SDK makes a client for its local daemon (sampling rules), unsigned and unused in Lambda.
    assert set(made["clients"]) <= {"xray"} and made["built"] == 0, made


# ------------------------------------------------------------------ API Gateway's own answers


def test_api_gateways_and_the_wafs_own_refusals_are_in_the_apis_error_body():
    """A client reads every refusal the same way: Cognito's 401, the stage's throttle, a body over
    10 MB, the WAF's 429 (before, API Gateway's ``{"message"}`` and the WAF's empty body)."""
    from complaints.schemas import ErrorOut

    api = RESOURCES["Api"]["Properties"]["GatewayResponses"]
    for kind in ("DEFAULT_4XX", "DEFAULT_5XX"):
        template = api[kind]["ResponseTemplates"]["application/json"]
        rendered = template.replace("$context.error.responseType", "UNAUTHORIZED").replace(
            "$context.error.messageString", json.dumps("Unauthorized")
        )
        assert ErrorOut.model_validate_json(rendered).error.code == "UNAUTHORIZED", kind

    acl = RESOURCES["WebAcl"]["Properties"]
    for rule in acl["Rules"]:
        key = rule["Action"]["Block"]["CustomResponse"]["CustomResponseBodyKey"]
        body = acl["CustomResponseBodies"][key]
        assert body["ContentType"] == "APPLICATION_JSON"
        refusal = ErrorOut.model_validate_json(body["Content"]).error
        assert refusal.code == "too_many_requests" and "โปรดลองใหม่" in refusal.message, rule["Name"]
