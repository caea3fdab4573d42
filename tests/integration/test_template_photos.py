"""The photo bucket as template.yaml declares it (issue #11): private, encrypted with a key of its
own, raw uploads gone in a day and evidence kept, posted to from the public site only, and
touched by the API's role alone."""

from __future__ import annotations

from typing import Any

import pytest

from local import infra

pytestmark = pytest.mark.integration

RESOURCES = infra.template()["Resources"]
BUCKET = RESOURCES["PhotosBucket"]
PROPS = BUCKET["Properties"]
BUCKET_ARN = {"Fn::GetAtt": ["PhotosBucket", "Arn"]}
OBJECTS_ARN = {"Fn::Sub": "${PhotosBucket.Arn}/*"}
KEY_ARN = {"Fn::GetAtt": ["PhotosKey", "Arn"]}


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _statements(node: Any, where: str) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(node, dict):
        if "Effect" in node:
            return [(where, node)]
        return [s for k, v in node.items() if k != "AssumeRolePolicyDocument" for s in _statements(v, where)]
    if isinstance(node, list):
        return [s for v in node for s in _statements(v, where)]
    return []


STATEMENTS = [s for name, r in RESOURCES.items() for s in _statements(r, name)]


def test_every_function_is_told_the_bucket():
    variables = infra.template()["Globals"]["Function"]["Environment"]["Variables"]
    assert variables["PHOTOS_BUCKET"] == {"Ref": "PhotosBucket"}
    assert infra.function_environment("IntakeFunction")["PHOTOS_BUCKET"] == infra.LOCAL_BUCKET


def test_the_bucket_is_private():
    assert PROPS["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert PROPS["OwnershipControls"] == {"Rules": [{"ObjectOwnership": "BucketOwnerEnforced"}]}  # no ACLs at all
    assert "AccessControl" not in PROPS and "WebsiteConfiguration" not in PROPS


def test_the_bucket_refuses_every_request_without_tls_and_allows_nothing():
    (policy,) = infra.resources("AWS::S3::BucketPolicy").values()
    assert policy["Properties"]["Bucket"] == {"Ref": "PhotosBucket"}
    (statement,) = policy["Properties"]["PolicyDocument"]["Statement"]
    assert statement["Effect"] == "Deny" and statement["Principal"] == "*" and statement["Action"] == "s3:*"
    assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
    assert statement["Resource"] == [BUCKET_ARN, OBJECTS_ARN]


def test_the_bucket_is_encrypted_with_a_rotating_key_of_its_own():
    (rule,) = PROPS["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    assert rule["ServerSideEncryptionByDefault"] == {"SSEAlgorithm": "aws:kms", "KMSMasterKeyID": KEY_ARN}
    assert rule["BucketKeyEnabled"] is True
    key = RESOURCES["PhotosKey"]
    assert key["Type"] == "AWS::KMS::Key" and key["Properties"]["EnableKeyRotation"] is True
    # No service principal may use it (as CloudWatch may use the operators' key): the account only.
    principals = [s["Principal"] for _, s in _statements(key["Properties"]["KeyPolicy"], "PhotosKey")]
    assert all(set(p) == {"AWS"} for p in principals)


def test_evidence_is_kept_with_its_case_and_raw_uploads_go_in_a_day():
    rules = PROPS["LifecycleConfiguration"]["Rules"]
    assert all(r["Status"] == "Enabled" for r in rules)
    expiring = [(r.get("Prefix", ""), r["ExpirationInDays"]) for r in rules if "ExpirationInDays" in r]
    assert expiring == [("incoming/", 1)]  # the raw uploads, EXIF and all; nothing else is deleted
    assert not any({"ExpirationDate", "NoncurrentVersionExpiration"} & set(r) for r in rules)
    (aborting,) = [r for r in rules if "AbortIncompleteMultipartUpload" in r]
    assert aborting["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 1} and "Prefix" not in aborting
    moved = {r["Prefix"]: r["Transitions"] for r in rules if "Transitions" in r}
    assert moved == {p: [{"StorageClass": "STANDARD_IA", "TransitionInDays": 90}] for p in ("photos/", "exif/")}
    assert (BUCKET["DeletionPolicy"], BUCKET["UpdateReplacePolicy"]) == ("Retain", "Retain")


@pytest.mark.parametrize(
    ("public_base_url", "origin"),
    [("https://1555.bangkok.go.th", "https://1555.bangkok.go.th"), ("https://abc.example/v1", "https://abc.example")],
)
def test_browsers_may_post_the_upload_forms_from_the_public_site_only(public_base_url, origin):
    (rule,) = PROPS["CorsConfiguration"]["CorsRules"]
    assert rule["AllowedMethods"] == ["POST"]
    refs = infra.local_values() | {"PublicBaseUrl": public_base_url}
    assert infra.resolve(rule["AllowedOrigins"], refs) == [origin]  # an origin: no path, no wildcard


def _touches_photos(statement: dict[str, Any]) -> bool:
    actions = _listed(statement["Action"])
    resources = _listed(statement.get("Resource", []))
    return any(a.startswith("s3:") for a in actions) or KEY_ARN in resources


def test_the_api_role_keeps_the_photos_open311_reads_served_copies_and_the_sweep_deletes_only_exif():
    grants = [(w, s) for w, s in STATEMENTS if s["Effect"] == "Allow" and _touches_photos(s) and w != "PhotosKey"]
    sweep = [s for w, s in grants if w == "SweepRole"]
    assert [(s["Action"], s["Resource"]) for s in sweep] == [
        (["s3:DeleteObject"], {"Fn::Sub": "${PhotosBucket.Arn}/exif/*"})  # the retention's erasure
    ]
    # Open311 signs links to the served copies (media_url): it reads them, through S3's use of the key
    open311 = [s for w, s in grants if w == "Open311Role"]
    assert [(s["Action"], s["Resource"]) for s in open311] == [
        (["s3:GetObject"], {"Fn::Sub": "${PhotosBucket.Arn}/photos/*"}),
        (["kms:Decrypt"], KEY_ARN),
    ]
    assert open311[1]["Condition"] == {
        "StringEquals": {"kms:ViaService": {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"}}
    }
    grants = [(w, s) for w, s in grants if w not in ("SweepRole", "Open311Role")]
    assert {w for w, _ in grants} == {"ApiRole"}
    by_resource = {str(s["Resource"]): set(_listed(s["Action"])) for _, s in grants}
    assert by_resource == {
        str(OBJECTS_ARN): {"s3:PutObject", "s3:GetObject", "s3:DeleteObject"},
        str(BUCKET_ARN): {"s3:ListBucket"},  # so that a key never uploaded is a 404, not a 403
        str(KEY_ARN): {"kms:Decrypt", "kms:GenerateDataKey"},
    }
    (through_s3,) = [s for _, s in grants if s["Resource"] == KEY_ARN]
    assert through_s3["Condition"] == {
        "StringEquals": {"kms:ViaService": {"Fn::Sub": "s3.${AWS::Region}.amazonaws.com"}}
    }


def test_the_api_role_is_the_role_of_the_api_functions_only():
    roles = {
        name: fn["Properties"]["Role"]["Fn::GetAtt"][0]
        for name, fn in infra.resources("AWS::Serverless::Function").items()
    }
    # Open311 has a role of its own (it reads served photos only): every other API function has ApiRole
    api_functions = {r.function for r in infra.routes()} - {"Open311Function"}
    assert {f for f, role in roles.items() if role == "ApiRole"} == api_functions
    assert roles["Open311Function"] == "Open311Role"
