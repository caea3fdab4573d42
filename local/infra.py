"""Read ``template.yaml`` and make its resources in moto: one description, two places.

The tests and ``make run`` both build the table (and the rest) from here, so the
local stack and the deployment cannot disagree. moto's CloudFormation does not
expand SAM, so the template is parsed and the few resource kinds we use are
created directly.
"""

from __future__ import annotations

import contextlib
import importlib
import json
import os
import re
import secrets
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = ROOT / "template.yaml"
LOCAL_TABLE = "complaints-local"
LOCAL_SENDER = "no-reply@1555.local"
LOCAL_SECRET = "complaints-local-link-secret"  # noqa: S105 - the name of the secret, not its value
LOCAL_TOPIC = "complaints-local-operators"
LOCAL_BUCKET = "complaints-local-photos"
ACCOUNT = "123456789012"
REGION = "ap-southeast-1"


class _CfnLoader(yaml.SafeLoader):
    """YAML with CloudFormation's short intrinsic tags (``!Ref``, ``!GetAtt``, ``!Sub``…)."""


def _intrinsic(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    if isinstance(node, yaml.ScalarNode):
        value: Any = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    if suffix == "GetAtt" and isinstance(value, str):
        value = value.split(".", 1)
    return {"Ref" if suffix == "Ref" else f"Fn::{suffix}": value}


_CfnLoader.add_multi_constructor("!", _intrinsic)


@lru_cache(maxsize=1)
def template() -> dict[str, Any]:
    return yaml.load(TEMPLATE.read_text(encoding="utf-8"), Loader=_CfnLoader)  # noqa: S506 - safe loader subclass


def resources(kind: str) -> dict[str, dict[str, Any]]:
    return {name: r for name, r in template()["Resources"].items() if r["Type"] == kind}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # API Gateway form: /complaints/{case_id}
    function: str  # logical id
    authorizer: str | None


def routes() -> list[Route]:
    out = []
    for name, fn in resources("AWS::Serverless::Function").items():
        for event in (fn["Properties"].get("Events") or {}).values():
            if event["Type"] == "Api":
                p = event["Properties"]
                out.append(Route(p["Method"].upper(), p["Path"], name, (p.get("Auth") or {}).get("Authorizer")))
    # API Gateway's precedence: a literal segment before a {parameter} before a greedy {path+}, so
    # the first route that matches is the one AWS would pick (/complaints/due-counts, not {case_id})
    return sorted(
        out, key=lambda r: [2 if s.endswith("+}") else 1 if s.startswith("{") else 0 for s in r.path.split("/")]
    )


def handler_of(function: str) -> tuple[Path, str, str]:
    """(code directory, module, attribute) of a function's ``Handler``."""
    props = template()["Resources"][function]["Properties"]
    module, attr = props["Handler"].rsplit(".", 1)
    return ROOT / props["CodeUri"], module, attr


def layer_dirs() -> list[Path]:
    """The code of the template's layers (``ContentUri``); ``local/__init__.py`` puts it on ``sys.path``."""
    return [ROOT / r["Properties"]["ContentUri"] for r in resources("AWS::Serverless::LayerVersion").values()]


def handler_module(function: str) -> tuple[ModuleType, str]:
    """The module of a function's ``Handler``, imported as in Lambda (its ``CodeUri`` on
    ``sys.path``, the layers already there), and the handler's attribute name."""
    code_dir, module, attr = handler_of(function)
    if str(code_dir) not in sys.path:
        sys.path.insert(0, str(code_dir))
    return importlib.import_module(module), attr


def _parameter_text(value: Any) -> str:
    """A parameter value as CloudFormation passes it: text (``14`` → ``"14"``, ``true`` → ``"true"``)."""
    return str(value).lower() if isinstance(value, bool) else str(value)


def parameter_overrides(raw: str | None) -> dict[str, str]:
    """``LOCAL_PARAMETERS``, a JSON object of template parameters and the values to give them
    (as ``sam deploy --parameter-overrides``): ``{"MapTilesUrl": "http://127.0.0.1:9/{z}/{x}/{y}.png"}``."""
    if not raw:
        return {}
    values = json.loads(raw)
    unknown = sorted(set(values) - set(template()["Parameters"])) if isinstance(values, dict) else ["(not an object)"]
    if unknown:
        raise ValueError(f"LOCAL_PARAMETERS: not parameters of template.yaml: {', '.join(unknown)}")
    return {name: _parameter_text(value) for name, value in values.items()}


def local_values() -> dict[str, str]:
    """What ``!Ref`` of a parameter or resource resolves to locally: each parameter's ``Default``
    from the template, local stand-ins for the parameters without one and for the resources, and
    the values ``LOCAL_PARAMETERS`` gives (``parameter_overrides``)."""
    defaults = {name: _parameter_text(p["Default"]) for name, p in template()["Parameters"].items() if "Default" in p}
    stand_ins = {
        "SenderAddress": LOCAL_SENDER,
        "PublicBaseUrl": "http://127.0.0.1:3000",
        "ExecutiveAddresses": "executives@1555.local",
        "SupervisorsAddress": "supervisors@1555.local",
        "AuditorsAddress": "auditors@1555.local",
        "CasesTable": LOCAL_TABLE,
        "PhotosBucket": LOCAL_BUCKET,
        "LinkSecret": LOCAL_SECRET,
        "UserPool": f"{REGION}_local",  # no user pool locally: the role switch stands in for sign-in
        "UserPoolClient": "local-client",
        # No hosted UI locally: the console's sign-in address comes out empty (HasSignInDomain) and the
        # console keeps its role switch; LOCAL_PARAMETERS may name a prefix to run it in Cognito mode.
        "SignInDomainPrefix": "",
        "OperatorsTopic": f"arn:aws:sns:{REGION}:{ACCOUNT}:{LOCAL_TOPIC}",
        "AWS::StackName": "complaints-local",
        "AWS::Region": REGION,
    }
    values = defaults | stand_ins | parameter_overrides(os.environ.get("LOCAL_PARAMETERS"))
    return values | {"UserPoolDomain": values["SignInDomainPrefix"]}  # its Ref is the prefix


def condition(name: str, refs: dict[str, str]) -> bool:
    """Whether the template's condition ``name`` holds for ``refs``."""
    return bool(resolve(template()["Conditions"][name], refs))


def _join(args: list[Any], refs: dict[str, str]) -> str:
    sep, parts = args
    parts = resolve(parts, refs)
    return sep.join(parts if isinstance(parts, list) else [parts])


def _if(args: list[Any], refs: dict[str, str]) -> Any:
    name, if_true, if_false = args
    return resolve(if_true if condition(name, refs) else if_false, refs)


def _equals(args: list[Any], refs: dict[str, str]) -> bool:
    left, right = resolve(args, refs)
    return left == right


# The intrinsic functions the template uses, by name: each takes its arguments and the refs.
_INTRINSICS: dict[str, Callable[[Any, dict[str, str]], Any]] = {
    "Ref": lambda name, refs: refs[name],
    "Fn::Join": _join,
    "Fn::Split": lambda args, refs: resolve(args[1], refs).split(args[0]),
    "Fn::Select": lambda args, refs: resolve(args[1], refs)[int(args[0])],
    "Fn::Sub": lambda text, refs: re.sub(r"\$\{([^}]+)\}", lambda m: refs[m.group(1)], text),
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::Not": lambda args, refs: not resolve(args[0], refs),
    "Condition": lambda name, refs: condition(name, refs) if isinstance(name, str) else {"Condition": name},
}


def resolve(value: Any, refs: dict[str, str]) -> Any:
    """``value`` with its ``Ref``, ``Fn::Join``, ``Fn::Split``, ``Fn::Select``, ``Fn::Sub`` and the
    conditions' ``Fn::If``, ``Fn::Equals``, ``Fn::Not``, ``Condition`` resolved against ``refs``."""
    if isinstance(value, list):
        return [resolve(v, refs) for v in value]
    if isinstance(value, dict) and len(value) == 1:
        ((name, args),) = value.items()
        if name in _INTRINSICS:
            return _INTRINSICS[name](args, refs)
    return value


def function_environment(function: str, overrides: dict[str, str] | None = None) -> dict[str, str]:
    """The environment a function gets: Globals, then its own variables, resolved locally."""
    refs = local_values() | (overrides or {})
    glob = template()["Globals"]["Function"]["Environment"]["Variables"]
    own = ((template()["Resources"][function]["Properties"].get("Environment") or {}).get("Variables")) or {}
    return {k: str(resolve(v, refs)) for k, v in (glob | own).items()}


def create_resources(
    session: Any, table_name: str = LOCAL_TABLE, sender: str = LOCAL_SENDER, public_base_url: str | None = None
) -> None:
    """Make the template's table (keys, indexes, TTL), the photo bucket (``public_base_url``: the
    origin its CORS rule admits), the link-signing secret (a random key of this machine's own),
    the operators' topic and the SES sender identity."""
    ddb = session.client("dynamodb", region_name=REGION)
    for props in (r["Properties"] for r in resources("AWS::DynamoDB::Table").values()):
        existing = ddb.list_tables()["TableNames"]
        if table_name in existing:
            continue
        args = {k: props[k] for k in ("AttributeDefinitions", "KeySchema", "BillingMode") if k in props}
        if props.get("GlobalSecondaryIndexes"):
            args["GlobalSecondaryIndexes"] = props["GlobalSecondaryIndexes"]
        ddb.create_table(TableName=table_name, **args)
        ttl = props.get("TimeToLiveSpecification")
        if ttl:
            ddb.update_time_to_live(TableName=table_name, TimeToLiveSpecification=ttl)
    refs = local_values() | ({"PublicBaseUrl": public_base_url} if public_base_url else {})
    for name, bucket in resources("AWS::S3::Bucket").items():
        _create_bucket(session, refs[name], bucket["Properties"], refs)
    session.client("ses", region_name=REGION).verify_email_identity(EmailAddress=sender)
    for _ in resources("AWS::SNS::Topic"):
        session.client("sns", region_name=REGION).create_topic(Name=LOCAL_TOPIC)  # idempotent
    sm = session.client("secretsmanager", region_name=REGION)
    for _ in resources("AWS::SecretsManager::Secret"):
        if not sm.list_secrets(Filters=[{"Key": "name", "Values": [LOCAL_SECRET]}])["SecretList"]:
            sm.create_secret(Name=LOCAL_SECRET, SecretString=secrets.token_urlsafe(48))


# ---------------------------------------------------------------- the photo bucket

_CORS_NAMES = {"ExposedHeaders": "ExposeHeaders", "MaxAge": "MaxAgeSeconds", "Id": "ID"}  # CloudFormation's → S3's


def _lifecycle_rule(rule: dict[str, Any]) -> dict[str, Any]:
    """A lifecycle rule of CloudFormation's form in the S3 API's form (the parts the template uses)."""
    known = {"Id", "Status", "Prefix", "ExpirationInDays", "AbortIncompleteMultipartUpload", "Transitions"}
    if set(rule) - known:
        raise ValueError(f"lifecycle rule {rule.get('Id')}: {sorted(set(rule) - known)} not made locally yet")
    out: dict[str, Any] = {"ID": rule["Id"], "Status": rule["Status"], "Filter": {"Prefix": rule.get("Prefix", "")}}
    if "ExpirationInDays" in rule:
        out["Expiration"] = {"Days": rule["ExpirationInDays"]}
    if "AbortIncompleteMultipartUpload" in rule:
        out["AbortIncompleteMultipartUpload"] = rule["AbortIncompleteMultipartUpload"]
    if "Transitions" in rule:
        out["Transitions"] = [
            {"Days": t["TransitionInDays"], "StorageClass": t["StorageClass"]} for t in rule["Transitions"]
        ]
    return out


def _local_key(session: Any, logical_id: str) -> str:
    """The ARN of a moto KMS key standing for the template's key ``logical_id`` (made once)."""
    kms = session.client("kms", region_name=REGION)
    alias = f"alias/complaints-local-{logical_id.lower()}"
    try:
        return kms.describe_key(KeyId=alias)["KeyMetadata"]["Arn"]
    except kms.exceptions.NotFoundException:
        arn = kms.create_key(Description=f"{logical_id} of template.yaml, locally")["KeyMetadata"]["Arn"]
        kms.create_alias(AliasName=alias, TargetKeyId=arn)
        return arn


def _create_bucket(session: Any, name: str, props: dict[str, Any], refs: dict[str, str]) -> None:
    """A bucket as the template declares it: public access blocked, owner-enforced, its default
    encryption (a moto key for the template's key), lifecycle rules and CORS rules. The bucket
    policy (TLS only) is not made: the local stack speaks plain HTTP."""
    s3 = session.client("s3", region_name=REGION)
    with contextlib.suppress(s3.exceptions.BucketAlreadyOwnedByYou):
        s3.create_bucket(Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION})
    s3.put_public_access_block(Bucket=name, PublicAccessBlockConfiguration=props["PublicAccessBlockConfiguration"])
    s3.put_bucket_ownership_controls(Bucket=name, OwnershipControls=props["OwnershipControls"])
    rules = []
    for rule in props["BucketEncryption"]["ServerSideEncryptionConfiguration"]:
        default = dict(rule["ServerSideEncryptionByDefault"])
        key = default.get("KMSMasterKeyID")
        if isinstance(key, dict) and "Fn::GetAtt" in key:
            default["KMSMasterKeyID"] = _local_key(session, key["Fn::GetAtt"][0])
        rules.append(
            {"ApplyServerSideEncryptionByDefault": default, "BucketKeyEnabled": rule.get("BucketKeyEnabled", False)}
        )
    s3.put_bucket_encryption(Bucket=name, ServerSideEncryptionConfiguration={"Rules": rules})
    lifecycle = [_lifecycle_rule(r) for r in props.get("LifecycleConfiguration", {}).get("Rules", [])]
    if lifecycle:
        s3.put_bucket_lifecycle_configuration(Bucket=name, LifecycleConfiguration={"Rules": lifecycle})
    cors = [
        {_CORS_NAMES.get(k, k): resolve(v, refs) for k, v in r.items()}
        for r in props.get("CorsConfiguration", {}).get("CorsRules", [])
    ]
    if cors:
        s3.put_bucket_cors(Bucket=name, CORSConfiguration={"CORSRules": cors})
