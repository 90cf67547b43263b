"""Alibaba Cloud KMS (API version 2016-01-20, RPC style), written from the evidence.

This is one half of the independent implementation in tests/independent/: it answers the RPC
actions the suite calls (ListKeys, ListAliasesByKeyId, ListKeyVersions, CreateKey, DescribeKey,
CreateAlias, DeleteAlias) the way the public evidence says the real service does. It was written
from the vendor pages (/work/shared/seeds), the reference notes (kms-wire-facts.md part A,
vendor-sources.md) and the SDK models they cite, never from specgate's own emulator.

Where the evidence is silent, the choice made here is marked "CHOICE" in a comment and listed in
docs/independent.md, so that a reader can tell evidence from guess.

Signatures are not checked: any AccessKeyId, Signature or Authorization is accepted.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from xml.sax.saxutils import escape

# The eleven Filters keys of the current Tea SDK's ListKeysRequest (vendor-sources.md "Alibaba
# Cloud: SDK models"); the 2021-era page lists only the first six.
FILTER_KEYS = (
    "KeyState",
    "KeySpec",
    "KeyUsage",
    "ProtectionLevel",
    "CreatorType",
    "DKMSInstanceId",
    "keyId",
    "AliasName",
    "Creator",
    "TagKey",
    "TagValue",
)

# Alias rules (kms-wire-facts.md A6, "Manage a key alias" and the Tea _create_alias_request.py
# docstring): prefix alias/, 1-255 of letters, digits, _, / and - after it, not under alias/acs.
ALIAS_NAME = re.compile(r"^alias/[a-zA-Z0-9_/-]{1,255}$")
INTEGER = re.compile(r"^-?[0-9]+$")


class ApiError(Exception):
    """An error answer: HTTP status, Code and Message (kms-wire-facts.md A5)."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message


def invalid(name: str) -> ApiError:
    # A5 (Responses.md): 'The specified parameter "<name>" is not valid.'
    return ApiError(400, "InvalidParameter", f'The specified parameter "{name}" is not valid.')


def missing(name: str) -> ApiError:
    # A5 (Responses.md): 'The parameter "<name>" is needed but not provided.'
    return ApiError(400, "MissingParameter", f'The parameter "{name}" is needed but not provided.')


def key_not_found() -> ApiError:
    return ApiError(404, "Forbidden.KeyNotFound", "The specified Key is not found.")


def utc(moment: datetime) -> str:
    """The pages' time format: 2019-08-06T10:22:03Z."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Key:
    """One CMK with the KeyMetadata members of the DescribeKey page (all strings, A1)."""

    key_id: str
    created: str
    key_state: str = "Enabled"
    key_spec: str = "Aliyun_AES_256"
    key_usage: str = "ENCRYPT/DECRYPT"
    protection_level: str = "SOFTWARE"
    origin: str = "Aliyun_KMS"
    creator: str = ""
    creator_type: str = "User"
    dkms_instance_id: str = ""
    description: str = ""
    delete_date: str = ""
    tags: dict[str, str] = field(default_factory=dict)
    versions: list[tuple[str, str]] = field(default_factory=list)  # (KeyVersionId, CreationDate)


@dataclass
class Alias:
    name: str
    key_id: str


class AlibabaKms:
    """The state of one account in one region, and the actions on it."""

    def __init__(
        self,
        region: str,
        account: str,
        unknown_filter_key: str = "ignore",
        list_keys_max: int = 100,
        out_of_range: str = "reject",
        deviation: str | None = None,
    ):
        self.region = region
        self.account = account
        # CHOICE: what the service does with a Filters Key outside the eleven is unsettled (issue
        # 12, fact 3); "ignore" drops the pair, "reject" answers 400 InvalidParameter.
        self.unknown_filter_key = unknown_filter_key
        # ListKeys' largest PageSize: 100 by the current page; 101 by an older official edition
        # ("no more than 101"); the API metadata gives none (issue 12, fact 4).
        self.list_keys_max = list_keys_max
        # What a page parameter out of its range or not an integer gets: "reject" (400
        # InvalidParameter) or "default" (the default value); see integer().
        self.out_of_range = out_of_range
        # A deliberate deviation (server.py --deviate), for the parity check of run.sh: never
        # set when the suite is judged.
        self.deviation = deviation
        self.lock = threading.Lock()
        self.keys: list[Key] = []  # in creation order
        self.aliases: list[Alias] = []  # in creation order
        self.seed()

    # --- seed data -----------------------------------------------------------------------------

    def seed(self) -> None:
        """Keys in every state the suite's discovery steps look for.

        The suite takes the first key (PageSize 1) as a read-only key that has aliases and
        versions, and the second and third keys to create aliases on, so those three come first
        and are Enabled.
        """
        start = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

        def add(n: int, versions: int = 1, **attrs) -> Key:
            created = start + timedelta(days=n)
            attrs.setdefault("creator", self.account)
            key = Key(key_id=str(uuid.uuid4()), created=utc(created), **attrs)
            for v in range(versions):
                key.versions.append((str(uuid.uuid4()), utc(created + timedelta(days=30 * v))))
            self.keys.append(key)
            return key

        first = add(0, versions=5, description="read-only key with aliases and versions")
        for name in ("alias/seed/app-1", "alias/seed/app-2", "alias/seed_app-3", "alias/seed-app-4"):
            self.aliases.append(Alias(name, first.key_id))
        add(1, description="spare key for aliases")
        add(2, description="spare key for aliases")
        add(3, key_state="Disabled")
        add(4, key_state="PendingDeletion", delete_date=utc(start + timedelta(days=40)))
        add(5, key_spec="RSA_2048", key_usage="SIGN/VERIFY")
        add(6, key_spec="EC_P256", key_usage="SIGN/VERIFY", protection_level="HSM")
        add(7, key_state="PendingImport", origin="EXTERNAL", versions=0)
        add(8, key_spec="Aliyun_SM4", protection_level="HSM")
        add(9, creator_type="Service", creator="Oss", tags={"owner": "oss"})
        add(10, dkms_instance_id="kst-hzz65f176a0ogplgq****", tags={"env": "test"})
        add(11, key_state="Disabled", key_spec="RSA_2048", key_usage="ENCRYPT/DECRYPT")

    # --- helpers -------------------------------------------------------------------------------

    def key_arn(self, key: Key) -> str:
        # A6: acs:kms:${region}:${account}:key/${keyid}
        return f"acs:kms:{self.region}:{self.account}:key/{key.key_id}"

    def alias_arn(self, alias: Alias) -> str:
        # A6: acs:kms:${region}:${account}: + AliasName
        return f"acs:kms:{self.region}:{self.account}:{alias.name}"

    def find_key(self, ref: str, allow_alias: bool = True) -> Key:
        """A key by its id, its ARN or (where the operation allows it, A6) an alias bound to it."""
        key_id = ref
        prefix = f"acs:kms:{self.region}:{self.account}:key/"
        if ref.startswith(prefix):
            key_id = ref[len(prefix) :]
        elif allow_alias and ref.startswith("alias/"):
            bound = next((a for a in self.aliases if a.name == ref), None)
            if bound is None:
                raise key_not_found()
            key_id = bound.key_id
        key = next((k for k in self.keys if k.key_id == key_id), None)
        if key is None:
            raise key_not_found()
        return key

    def integer(self, params: dict, name: str, default: int, low: int, high: int | None) -> int:
        """An Integer parameter in [low, high].

        CHOICE: the pages give the ranges but not the reaction to a value outside them (issue
        12, fact 6). By default anything else is 400 InvalidParameter, the only 400 code the
        pages list; with out_of_range "default" the parameter's default is used instead.
        """
        raw = params.get(name)
        if raw is None:
            return default
        value = int(raw) if INTEGER.match(raw) else None
        if value is None or value < low or (high is not None and value > high):
            if self.out_of_range == "default":
                return default
            raise invalid(name)
        return value

    @staticmethod
    def page(items: list, number: int, size: int) -> list:
        start = (number - 1) * size
        return items[start : start + size]

    # --- actions -------------------------------------------------------------------------------

    def handle(self, action: str, params: dict) -> dict:
        handler = {
            "ListKeys": self.list_keys,
            "ListAliasesByKeyId": self.list_aliases_by_key_id,
            "ListKeyVersions": self.list_key_versions,
            "DescribeKey": self.describe_key,
            "CreateKey": self.create_key,
            "CreateAlias": self.create_alias,
            "DeleteAlias": self.delete_alias,
        }.get(action)
        if handler is None:
            # Status unverified (A5: InvalidAction.NotFound, status [UNVERIFIED]).
            message = "Specified api is not found, please check your url and method."
            raise ApiError(404, "InvalidAction.NotFound", message)
        with self.lock:
            return handler(params)

    def list_keys(self, params: dict) -> dict:
        # ListKeys page: PageNumber from 1, PageSize "Valid values: 1 to 100", default 10.
        number = self.integer(params, "PageNumber", 1, 1, None)
        size = self.integer(params, "PageSize", 10, 1, self.list_keys_max)
        groups = self.parse_filters(params.get("Filters"))
        matching = [k for k in self.keys if self.admits(groups, k)]
        items = [{"KeyId": k.key_id, "KeyArn": self.key_arn(k)} for k in self.page(matching, number, size)]
        return {
            # --deviate keys-bare-array: the list without its {"Key": [...]} wrapper.
            "Keys": items if self.deviation == "keys-bare-array" else {"Key": items},
            "TotalCount": len(matching),
            "PageNumber": number,
            "PageSize": size,
        }

    def parse_filters(self, raw: str | None) -> dict[str, set[str]]:
        """The Filters parameter as {Key: the values any of which a key must have}.

        ListKeys page: at most 10 pairs, Values 0 to 10 long, Values within a pair ORed,
        different Keys ANDed; the page's example ORs two pairs with the same Key, so pairs are
        grouped by Key.
        """
        if raw is None:
            return {}
        try:
            pairs = json.loads(raw)
        except ValueError:
            raise invalid("Filters") from None
        if not isinstance(pairs, list) or len(pairs) > 10:
            raise invalid("Filters")
        groups: dict[str, set[str]] = {}
        for pair in pairs:
            if not isinstance(pair, dict) or not isinstance(pair.get("Key"), str):
                raise invalid("Filters")
            values = pair.get("Values", [])
            if not isinstance(values, list) or len(values) > 10 or not all(isinstance(v, str) for v in values):
                raise invalid("Filters")
            name = pair["Key"]
            if name not in FILTER_KEYS:
                if self.unknown_filter_key == "reject":
                    raise invalid("Filters")
                continue
            # CHOICE: a pair with no Values constrains nothing.
            if values:
                groups.setdefault(name, set()).update(values)
        return groups

    def admits(self, groups: dict[str, set[str]], key: Key) -> bool:
        return all(self.attribute_values(key, name) & wanted for name, wanted in groups.items())

    def attribute_values(self, key: Key, name: str) -> set[str]:
        """The values a key has for one Filters Key (a key can have several aliases and tags)."""
        return {
            "KeyState": {key.key_state},
            "KeySpec": {key.key_spec},
            "KeyUsage": {key.key_usage},
            "ProtectionLevel": {key.protection_level},
            "CreatorType": {key.creator_type},
            "DKMSInstanceId": {key.dkms_instance_id},
            "keyId": {key.key_id},
            "AliasName": {a.name for a in self.aliases if a.key_id == key.key_id},
            "Creator": {key.creator},
            "TagKey": set(key.tags),
            "TagValue": set(key.tags.values()),
        }[name]

    def list_aliases_by_key_id(self, params: dict) -> dict:
        # ListAliasesByKeyId page: KeyId required; PageSize "Valid values: 0 to 101"; the
        # reference (A6) says this operation takes an id or an ARN.
        if not params.get("KeyId"):
            raise missing("KeyId")
        number = self.integer(params, "PageNumber", 1, 1, None)
        size = self.integer(params, "PageSize", 10, 0, 101)
        key = self.find_key(params["KeyId"], allow_alias=False)
        bound = [a for a in self.aliases if a.key_id == key.key_id]
        items = [
            {"AliasName": a.name, "KeyId": key.key_id, "AliasArn": self.alias_arn(a)}
            for a in self.page(bound, number, size)
        ]
        return {"Aliases": {"Alias": items}, "TotalCount": len(bound), "PageNumber": number, "PageSize": size}

    def list_key_versions(self, params: dict) -> dict:
        # ListKeyVersions page: KeyId (an id or an alias; A6 adds the ARN); PageNumber optional
        # (API metadata required: false, issue 12 fact 5); PageSize "Valid values: 0 to 101".
        if not params.get("KeyId"):
            raise missing("KeyId")
        number = self.integer(params, "PageNumber", 1, 1, None)
        size = self.integer(params, "PageSize", 10, 0, 101)
        key = self.find_key(params["KeyId"])
        items = [
            {"KeyId": key.key_id, "KeyVersionId": vid, "CreationDate": created}
            for vid, created in self.page(key.versions, number, size)
        ]
        return {
            "KeyVersions": {"KeyVersion": items},
            "TotalCount": len(key.versions),
            "PageNumber": number,
            "PageSize": size,
        }

    def metadata(self, key: Key) -> dict:
        # DescribeKey / CreateKey samples (A1); every member is a string.
        meta = {
            "CreationDate": key.created,
            "Description": key.description,
            "KeyId": key.key_id,
            "KeySpec": key.key_spec,
            "KeyState": key.key_state,
            "KeyUsage": key.key_usage,
            "PrimaryKeyVersion": key.versions[-1][0] if key.versions else "",
            "DeleteDate": key.delete_date,
            "Creator": key.creator,
            "Arn": self.key_arn(key),
            "Origin": key.origin,
            "MaterialExpireTime": "",
            "ProtectionLevel": key.protection_level,
            "LastRotationDate": key.versions[-1][1] if key.versions else key.created,
            "AutomaticRotation": "Disabled",
            "DeletionProtection": "Disabled",
        }
        if key.dkms_instance_id:
            meta["DKMSInstanceId"] = key.dkms_instance_id
        return meta

    def describe_key(self, params: dict) -> dict:
        if not params.get("KeyId"):
            raise missing("KeyId")
        return {"KeyMetadata": self.metadata(self.find_key(params["KeyId"]))}

    def create_key(self, params: dict) -> dict:
        now = utc(datetime.now(timezone.utc))
        key = Key(
            key_id=str(uuid.uuid4()),
            created=now,
            key_spec=params.get("KeySpec") or "Aliyun_AES_256",
            key_usage=params.get("KeyUsage") or "ENCRYPT/DECRYPT",
            protection_level=params.get("ProtectionLevel") or "SOFTWARE",
            origin=params.get("Origin") or "Aliyun_KMS",
            description=params.get("Description") or "",
            creator=self.account,
        )
        if key.origin == "EXTERNAL":
            key.key_state = "PendingImport"
        else:
            key.versions.append((str(uuid.uuid4()), now))
        self.keys.append(key)
        return {"KeyMetadata": self.metadata(key)}

    def create_alias(self, params: dict) -> dict:
        for name in ("KeyId", "AliasName"):
            if not params.get(name):
                raise missing(name)
        name = params["AliasName"]
        if not ALIAS_NAME.match(name) or name == "alias/acs" or name.startswith("alias/acs/"):
            raise invalid("AliasName")
        key = self.find_key(params["KeyId"], allow_alias=False)
        if any(a.name == name for a in self.aliases):
            # A5 (Responses.md): AliasAlreadyExists, 400, "AliasName Already Exists."
            raise ApiError(400, "AliasAlreadyExists", "AliasName Already Exists.")
        self.aliases.append(Alias(name, key.key_id))
        return {}

    def delete_alias(self, params: dict) -> dict:
        if not params.get("AliasName"):
            raise missing("AliasName")
        bound = next((a for a in self.aliases if a.name == params["AliasName"]), None)
        if bound is None:
            # A5 (Responses.md): Forbidden.AliasNotFound, 404.
            raise ApiError(404, "Forbidden.AliasNotFound", "The specified Alias is not found.")
        self.aliases.remove(bound)
        return {}


# --- the wire: request parameters in, JSON or XML out ------------------------------------------


def error_body(region: str, request_id: str, err: ApiError) -> dict:
    """The unified gateway error body (A5): RequestId, HostId, Code, Message, Recommend."""
    return {
        "RequestId": request_id,
        "HostId": f"kms.{region}.aliyuncs.com",
        "Code": err.code,
        "Message": err.message,
        "Recommend": f"https://api.aliyun.com/troubleshoot?q={err.code}&product=Kms&requestId={request_id}",
    }


def to_xml(name: str, value) -> str:
    """XML in the pages' sample layout: a list under a name repeats that element (Keys/Key)."""
    if isinstance(value, list):
        return "".join(to_xml(name, item) for item in value)
    if isinstance(value, dict):
        inner = "".join(to_xml(k, v) for k, v in value.items())
        return f"<{name}>{inner}</{name}>"
    return f"<{name}>{escape(str(value))}</{name}>"


def answer(service: AlibabaKms, params: dict, headers) -> tuple[int, str, bytes, dict]:
    """One RPC request: (status, content type, body, extra headers)."""
    request_id = str(uuid.uuid4()).upper()
    action = params.get("Action") or headers.get("x-acs-action") or ""
    # CHOICE: a request without Format gets JSON (reference A1's recommendation; the pages
    # disagree on the default); Format=XML in any case gets XML.
    xml = (params.get("Format") or "").upper() == "XML"
    try:
        status, body, root = 200, service.handle(action, params), f"{action}Response"
        body["RequestId"] = request_id
    except ApiError as err:
        status, body, root = err.status, error_body(service.region, request_id, err), "Error"
    extra = {"x-acs-request-id": request_id}
    if xml:
        text = '<?xml version="1.0" encoding="UTF-8"?>' + to_xml(root, body)
        return status, "application/xml;charset=utf-8", text.encode(), extra
    return status, "application/json;charset=utf-8", json.dumps(body).encode(), extra
