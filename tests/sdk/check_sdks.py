"""Calls every emulated operation through the official Python SDKs.

Usage: check_sdks.py BASE_URL   (e.g. http://127.0.0.1:8080; the emulator must run with
--verify-signatures and the default keys testid:testsecret and testAK:testSK).

Three clients: aliyun-python-sdk-core + aliyun-python-sdk-kms (signature V1),
alibabacloud-kms20160120 (Tea, default ACS3-HMAC-SHA256, and V1 with signature_algorithm='v2'),
huaweicloudsdkkms (SDK-HMAC-SHA256). Each check asserts that the response parses into populated
model fields, or that a documented error surfaces as the SDK's exception with the right code and
status. The last line is "N passed, M failed"; the exit status is 1 when anything failed.
"""

import json
import sys
import traceback
import uuid
from urllib.parse import urlparse

BASE_URL = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8080"
HOSTPORT = urlparse(BASE_URL).netloc
PROJECT_ID = "0123456789abcdef0123456789abcdef"
RUN = uuid.uuid4().hex[:8]

RESULTS = {"passed": 0, "failed": 0}


def check(name, fn):
    """Runs one check and records its outcome."""
    try:
        fn()
    except Exception:  # noqa: BLE001 - every failure is reported, then counted
        RESULTS["failed"] += 1
        print(f"FAIL {name}")
        traceback.print_exc(limit=3)
    else:
        RESULTS["passed"] += 1
        print(f"ok   {name}")


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def expect_raises(call, code, status, get_code, get_status):
    """Asserts that `call` raises an SDK exception with this error code and HTTP status."""
    try:
        call()
    except AssertionError:
        raise
    except Exception as e:  # noqa: BLE001 - the SDKs raise their own classes
        got_code, got_status = get_code(e), get_status(e)
        expect(got_code == code, f"error code {got_code!r} != {code!r} ({e!r})")
        expect(status is None or got_status == status, f"status {got_status!r} != {status!r}")
        return e
    raise AssertionError(f"expected {code}, got success")


# ---------------------------------------------------------------------------------------------
# Alibaba, old SDK (V1 signature, POST, params in the query)
# ---------------------------------------------------------------------------------------------

def old_sdk_checks():
    from aliyunsdkcore.client import AcsClient
    from aliyunsdkcore.acs_exception.exceptions import ServerException
    from aliyunsdkkms.request.v20160120 import (
        CreateAliasRequest, CreateKeyRequest, DeleteAliasRequest, DescribeKeyRequest,
        ListAliasesByKeyIdRequest, ListKeysRequest, ListKeyVersionsRequest)

    client = AcsClient("testid", "testsecret", "cn-hangzhou", auto_retry=False)

    def call(req, c=client):
        req.set_endpoint(HOSTPORT)
        req.set_protocol_type("http")
        return json.loads(c.do_action_with_exception(req))

    def code(e):
        return e.get_error_code() if isinstance(e, ServerException) else repr(e)

    def status(e):
        return e.get_http_status() if isinstance(e, ServerException) else None

    state = {}

    def list_keys():
        req = ListKeysRequest.ListKeysRequest()
        req.set_PageSize(5)
        body = call(req)
        keys = body["Keys"]["Key"]
        expect(len(keys) == 5 and body["TotalCount"] >= 20, body)
        expect(keys[0]["KeyArn"].endswith(keys[0]["KeyId"]), keys[0])
        state["key_id"] = keys[0]["KeyId"]

    def list_keys_filtered():
        req = ListKeysRequest.ListKeysRequest()
        req.set_Filters('[{"Key":"KeyState","Values":["PendingDeletion"]}]')
        req.set_PageSize(100)
        body = call(req)
        expect(body["TotalCount"] >= 1 and len(body["Keys"]["Key"]) == body["TotalCount"], body)

    def describe_key():
        req = DescribeKeyRequest.DescribeKeyRequest()
        req.set_KeyId(state["key_id"])
        md = call(req)["KeyMetadata"]
        expect(md["KeyId"] == state["key_id"] and md["KeyState"] and md["Arn"], md)

    def list_key_versions():
        req = ListKeyVersionsRequest.ListKeyVersionsRequest()
        req.set_KeyId(state["key_id"])
        req.set_PageSize(5)
        body = call(req)
        expect(body["TotalCount"] > 10 and len(body["KeyVersions"]["KeyVersion"]) == 5, body)

    def list_aliases():
        req = ListAliasesByKeyIdRequest.ListAliasesByKeyIdRequest()
        req.set_KeyId(state["key_id"])
        body = call(req)
        expect(body["TotalCount"] > 10 and body["Aliases"]["Alias"][0]["AliasName"], body)

    def create_key_and_alias():
        req = CreateKeyRequest.CreateKeyRequest()
        req.set_Description("sdk v1")
        md = call(req)["KeyMetadata"]
        expect(md["KeyState"] == "Enabled" and md["Description"] == "sdk v1", md)
        req = CreateAliasRequest.CreateAliasRequest()
        req.set_KeyId(md["KeyId"])
        req.set_AliasName(f"alias/sdk-v1-{RUN}")
        expect("RequestId" in call(req), "CreateAlias body")
        dup = CreateAliasRequest.CreateAliasRequest()
        dup.set_KeyId(md["KeyId"])
        dup.set_AliasName(f"alias/sdk-v1-{RUN}")
        expect_raises(lambda: call(dup), "AliasAlreadyExists", 400, code, status)
        req = DeleteAliasRequest.DeleteAliasRequest()
        req.set_AliasName(f"alias/sdk-v1-{RUN}")
        expect("RequestId" in call(req), "DeleteAlias body")
        again = DeleteAliasRequest.DeleteAliasRequest()
        again.set_AliasName(f"alias/sdk-v1-{RUN}")
        expect_raises(lambda: call(again), "Forbidden.AliasNotFound", 404, code, status)

    def key_not_found():
        req = DescribeKeyRequest.DescribeKeyRequest()
        req.set_KeyId("00000000-0000-4000-8000-000000000000")
        e = expect_raises(lambda: call(req), "Forbidden.KeyNotFound", 404, code, status)
        expect(e.get_request_id(), "request id")

    def invalid_page_size():
        req = ListKeysRequest.ListKeysRequest()
        req.set_PageSize(101)
        expect_raises(lambda: call(req), "InvalidParameter", 400, code, status)

    def wrong_secret():
        # The old SDK turns a 400 SignatureDoesNotMatch whose message ends with "server string
        # to sign is:<its own string to sign>" into InvalidAccessKeySecret: getting that code
        # proves the emulator's string to sign is byte-for-byte the SDK's.
        bad = AcsClient("testid", "wrong", "cn-hangzhou", auto_retry=False)
        expect_raises(lambda: call(ListKeysRequest.ListKeysRequest(), bad),
                      "InvalidAccessKeySecret", 400, code, status)

    def unknown_access_key():
        bad = AcsClient("nobody", "testsecret", "cn-hangzhou", auto_retry=False)
        expect_raises(lambda: call(ListKeysRequest.ListKeysRequest(), bad),
                      "InvalidAccessKeyId.NotFound", 404, code, status)

    for name, fn in [
        ("v1-sdk ListKeys", list_keys),
        ("v1-sdk ListKeys Filters", list_keys_filtered),
        ("v1-sdk DescribeKey", describe_key),
        ("v1-sdk ListKeyVersions", list_key_versions),
        ("v1-sdk ListAliasesByKeyId", list_aliases),
        ("v1-sdk CreateKey/CreateAlias/DeleteAlias", create_key_and_alias),
        ("v1-sdk Forbidden.KeyNotFound", key_not_found),
        ("v1-sdk InvalidParameter", invalid_page_size),
        ("v1-sdk SignatureDoesNotMatch (as InvalidAccessKeySecret)", wrong_secret),
        ("v1-sdk InvalidAccessKeyId.NotFound", unknown_access_key),
    ]:
        check(name, fn)


# ---------------------------------------------------------------------------------------------
# Alibaba, Tea SDK (alibabacloud-kms20160120): V3 by default, V1 with signature_algorithm='v2'
# ---------------------------------------------------------------------------------------------

def tea_checks(label, signature_algorithm=None):
    from alibabacloud_kms20160120 import models as m
    from alibabacloud_kms20160120.client import Client
    from alibabacloud_tea_openapi import models as open_api_models

    def client(ak="testid", secret="testsecret"):
        cfg = open_api_models.Config(access_key_id=ak, access_key_secret=secret,
                                     region_id="cn-hangzhou", endpoint=HOSTPORT, protocol="http")
        if signature_algorithm:
            cfg.signature_algorithm = signature_algorithm
        return Client(cfg)

    cl = client()

    def code(e):
        return getattr(e, "code", repr(e))

    def status(e):
        s = getattr(e, "status_code", None) or getattr(e, "statusCode", None)
        data = getattr(e, "data", None)
        if s is None and isinstance(data, dict):
            s = data.get("statusCode")
        return s

    state = {}

    def list_keys():
        body = cl.list_keys(m.ListKeysRequest(page_size=5, page_number=1)).body
        expect(body is not None and body.request_id, "body parsed")
        expect(len(body.keys.key) == 5 and body.total_count >= 20, body.to_map())
        expect(body.page_number == 1 and body.page_size == 5, body.to_map())
        expect(body.keys.key[0].key_arn.endswith(body.keys.key[0].key_id), body.to_map())
        state["key_id"] = body.keys.key[0].key_id

    def describe_key():
        md = cl.describe_key(m.DescribeKeyRequest(key_id=state["key_id"])).body.key_metadata
        expect(md.key_id == state["key_id"] and md.key_state and md.arn and md.creation_date,
               md.to_map())
        expect(md.deletion_protection in ("Enabled", "Disabled"), md.to_map())

    def list_key_versions():
        body = cl.list_key_versions(
            m.ListKeyVersionsRequest(key_id=state["key_id"], page_number=2, page_size=5)).body
        versions = body.key_versions.key_version
        expect(len(versions) == 5 and versions[0].key_version_id and versions[0].creation_date,
               body.to_map())
        expect(body.total_count > 10 and body.page_number == 2, body.to_map())

    def list_aliases():
        body = cl.list_aliases_by_key_id(
            m.ListAliasesByKeyIdRequest(key_id=state["key_id"], page_size=3)).body
        aliases = body.aliases.alias
        expect(len(aliases) == 3 and aliases[0].alias_name.startswith("alias/"), body.to_map())
        expect(aliases[0].key_id == state["key_id"] and aliases[0].alias_arn, body.to_map())

    def create_key_and_alias():
        md = cl.create_key(m.CreateKeyRequest(key_spec="Aliyun_AES_256",
                                              description=f"tea {label}")).body.key_metadata
        expect(md.key_id and md.key_state == "Enabled" and md.primary_key_version, md.to_map())
        name = f"alias/tea-{label}-{RUN}"
        r = cl.create_alias(m.CreateAliasRequest(alias_name=name, key_id=md.key_id))
        expect(r.body.request_id, "CreateAlias request id")
        found = cl.list_aliases_by_key_id(m.ListAliasesByKeyIdRequest(key_id=md.key_id)).body
        expect([a.alias_name for a in found.aliases.alias] == [name], found.to_map())
        described = cl.describe_key(m.DescribeKeyRequest(key_id=name)).body.key_metadata
        expect(described.key_id == md.key_id, "DescribeKey by alias")
        expect_raises(lambda: cl.create_alias(m.CreateAliasRequest(alias_name=name, key_id=md.key_id)),
                      "AliasAlreadyExists", 400, code, status)
        r = cl.delete_alias(m.DeleteAliasRequest(alias_name=name))
        expect(r.body.request_id, "DeleteAlias request id")

    def key_not_found():
        expect_raises(lambda: cl.list_key_versions(
            m.ListKeyVersionsRequest(key_id="00000000-0000-4000-8000-000000000000")),
            "Forbidden.KeyNotFound", 404, code, status)

    def invalid_alias():
        expect_raises(lambda: cl.create_alias(
            m.CreateAliasRequest(alias_name="no-prefix", key_id=state["key_id"])),
            "InvalidParameter", 400, code, status)

    def wrong_secret():
        expect_raises(lambda: client(secret="wrong").list_keys(m.ListKeysRequest()),
                      "SignatureDoesNotMatch", 400, code, status)

    def unknown_access_key():
        expect_raises(lambda: client(ak="nobody").list_keys(m.ListKeysRequest()),
                      "InvalidAccessKeyId.NotFound", 404, code, status)

    for name, fn in [
        ("ListKeys", list_keys),
        ("DescribeKey", describe_key),
        ("ListKeyVersions", list_key_versions),
        ("ListAliasesByKeyId", list_aliases),
        ("CreateKey/CreateAlias/DeleteAlias", create_key_and_alias),
        ("Forbidden.KeyNotFound", key_not_found),
        ("InvalidParameter", invalid_alias),
        ("SignatureDoesNotMatch", wrong_secret),
        ("InvalidAccessKeyId.NotFound", unknown_access_key),
    ]:
        check(f"tea-{label} {name}", fn)


# ---------------------------------------------------------------------------------------------
# Huawei (huaweicloudsdkkms, SDK-HMAC-SHA256)
# ---------------------------------------------------------------------------------------------

def huawei_checks():
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkcore.exceptions.exceptions import ServiceResponseException
    from huaweicloudsdkcore.http.http_config import HttpConfig
    from huaweicloudsdkkms.v2 import (
        CreateAliasRequest, CreateAliasRequestBody, CreateKeyRequest, CreateKeyRequestBody,
        DeleteAliasRequest, DeleteAliasRequestBody, KmsClient, ListAliasesRequest,
        ListKeysRequest, ListKeysRequestBody, UpdateKeyAliasRequest, UpdateKeyAliasRequestBody)

    def client(ak="testAK", sk="testSK"):
        cfg = HttpConfig.get_default_config()
        cfg.retry_times = 0
        cred = BasicCredentials(ak, sk, PROJECT_ID)
        return (KmsClient.new_builder().with_credentials(cred).with_http_config(cfg)
                .with_endpoints([BASE_URL]).build())

    cl = client()

    def code(e):
        return e.error_code if isinstance(e, ServiceResponseException) else repr(e)

    def status(e):
        return e.status_code if isinstance(e, ServiceResponseException) else None

    state = {}

    def list_keys():
        r = cl.list_keys(ListKeysRequest(body=ListKeysRequestBody(limit="100", key_spec="ALL")))
        expect(r.total >= 8 and len(r.keys) == len(r.key_details) and r.truncated == "false",
               r)
        default = [k for k in r.key_details if k.default_key_flag == "1"]
        expect(default and default[0].key_alias.endswith("/default"), "a default master key")
        expect(any(k.key_state == "4" for k in r.key_details), "a key pending deletion")
        state["default"] = default[0].key_id
        state["doomed"] = [k.key_id for k in r.key_details if k.key_state == "4"][0]

    def list_keys_paged():
        r = cl.list_keys(ListKeysRequest(body=ListKeysRequestBody(limit="2", key_spec="ALL")))
        expect(len(r.keys) == 2 and r.truncated == "true" and r.next_marker == "2", r)

    def create_key():
        r = cl.create_key(CreateKeyRequest(body=CreateKeyRequestBody(
            key_alias=f"sdk-key-{RUN}", key_description="from the SDK")))
        expect(r.key_info.key_id and r.key_info.domain_id, r)
        state["key_id"] = r.key_info.key_id

    def create_alias():
        r = cl.create_alias(CreateAliasRequest(body=CreateAliasRequestBody(
            key_id=state["key_id"], alias=f"sdk-alias-{RUN}")))
        expect(r.alias == f"sdk-alias-{RUN}" and r.key_id == state["key_id"], r)
        expect(r.alias_urn.endswith(f":alias:sdk-alias-{RUN}") and r.create_time, r)

    def list_aliases():
        r = cl.list_aliases(ListAliasesRequest(key_id=state["key_id"]))
        # The body is one object (H13); the SDK model says list[...] and wraps it into one item.
        page = r.body[0]
        expect([a.alias for a in page.aliases] == [f"sdk-alias-{RUN}"], r)
        expect(page.page_info.current_count == 1, r)

    def update_key_alias():
        r = cl.update_key_alias(UpdateKeyAliasRequest(body=UpdateKeyAliasRequestBody(
            key_id=state["key_id"], key_alias=f"sdk-renamed-{RUN}")))
        expect(r.key_info.key_id == state["key_id"]
               and r.key_info.key_alias == f"sdk-renamed-{RUN}", r)

    def delete_alias():
        r = cl.delete_alias(DeleteAliasRequest(body=DeleteAliasRequestBody(
            key_id=state["key_id"], aliases=[f"sdk-alias-{RUN}"])))
        expect(r.status_code == 204 if hasattr(r, "status_code") else True, r)
        left = cl.list_aliases(ListAliasesRequest(key_id=state["key_id"])).body[0].aliases
        expect(not left, left)

    def duplicate_alias():
        expect_raises(lambda: cl.create_alias(CreateAliasRequest(body=CreateAliasRequestBody(
            key_id=state["key_id"], alias=f"sdk-renamed-{RUN}"))), "KMS.1104", 400, code, status)

    def default_key():
        expect_raises(lambda: cl.update_key_alias(UpdateKeyAliasRequest(
            body=UpdateKeyAliasRequestBody(key_id=state["default"], key_alias=f"x-{RUN}"))),
            "KMS.0211", 400, code, status)

    def pending_deletion():
        expect_raises(lambda: cl.create_alias(CreateAliasRequest(body=CreateAliasRequestBody(
            key_id=state["doomed"], alias=f"doomed-{RUN}"))), "KMS.0210", 400, code, status)

    def key_not_found():
        e = expect_raises(lambda: cl.create_alias(CreateAliasRequest(body=CreateAliasRequestBody(
            key_id="00000000-0000-4000-8000-000000000000", alias=f"nf-{RUN}"))),
            "KMS.0207", 404, code, status)
        expect(e.request_id, "request id from X-Request-Id")

    def invalid_alias():
        expect_raises(lambda: cl.update_key_alias(UpdateKeyAliasRequest(
            body=UpdateKeyAliasRequestBody(key_id=state["key_id"], key_alias="bad/default"))),
            "KMS.1101", 400, code, status)

    def wrong_secret():
        expect_raises(lambda: client(sk="wrong").list_keys(
            ListKeysRequest(body=ListKeysRequestBody())), "APIGW.0301", 401, code, status)

    for name, fn in [
        ("ListKeys", list_keys),
        ("ListKeys paged", list_keys_paged),
        ("CreateKey", create_key),
        ("CreateAlias", create_alias),
        ("ListAliases", list_aliases),
        ("UpdateKeyAlias", update_key_alias),
        ("DeleteAlias", delete_alias),
        ("KMS.1104", duplicate_alias),
        ("KMS.0211", default_key),
        ("KMS.0210", pending_deletion),
        ("KMS.0207", key_not_found),
        ("KMS.1101", invalid_alias),
        ("APIGW.0301", wrong_secret),
    ]:
        check(f"huawei {name}", fn)


def main():
    old_sdk_checks()
    tea_checks("v3")
    tea_checks("v1", signature_algorithm="v2")
    huawei_checks()
    print(f"{RESULTS['passed']} passed, {RESULTS['failed']} failed")
    return 1 if RESULTS["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
