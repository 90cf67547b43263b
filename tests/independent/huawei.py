"""Huawei Cloud KMS (REST, /v1.0/{project_id}/kms/...), written from the evidence.

The other half of the independent implementation in tests/independent/: create-key, list-keys,
update-key-alias, schedule-key-deletion and the alias API (POST/GET/DELETE /kms/aliases), the way
the public evidence says the real service answers. Sources: the two vendor pages in
/work/shared/seeds (CreateAlias, UpdateKeyAlias), kms-wire-facts.md part B, vendor-sources.md and
Huawei's Terraform provider (huaweicloud/services/dew/resource_huaweicloud_kms_alias.go and
data_source_huaweicloud_kms_aliases.go), which reads ListAliases as an OBJECT
({"aliases": [...], "page_info": {"next_marker": ...}}) and documents that an alias "can only be
prefixed with alias/".

Where the evidence is silent, the choice made here is marked "CHOICE" and listed in
docs/independent.md. Signatures and tokens are not checked.
"""

from __future__ import annotations

import json
import re
import threading
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs

# UpdateKeyAlias and CreateAlias pages: key_id is 36 bytes matching this regex.
KEY_ID = re.compile(r"^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$")
# UpdateKeyAlias page (and B5 for create-key): key_alias is 1 to 255 of these, not ending /default.
KEY_ALIAS = re.compile(r"^[a-zA-Z0-9:/_-]{1,255}$")
PATH = re.compile(r"^/v1\.0/([^/]+)/kms/([a-z/-]+)$")


class ApiError(Exception):
    """A KMS error answer (B4): {"error": {"error_code": ..., "error_msg": ...}}."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(code)
        self.status = status
        self.code = code
        self.message = message


# The KMS error table (kms-wire-facts.md B4, Huawei's error-code page and OTC's copy).
def bad_json() -> ApiError:
    return ApiError(400, "KMS.0202", "Invalid JSON format of the request message.")


def missing(name: str) -> ApiError:
    return ApiError(400, "KMS.0204", f"Parameters missing in the request message: {name}.")


def bad_key_id() -> ApiError:
    return ApiError(400, "KMS.0205", "Invalid key ID.")


def no_such_key() -> ApiError:
    return ApiError(404, "KMS.0207", "The key does not exist.")


def bad_alias() -> ApiError:
    return ApiError(400, "KMS.1101", "Invalid key_alias.")


def bad_parameter(name: str) -> ApiError:
    return ApiError(400, "KMS.0308", f"Invalid parameter: {name}.")


def millis(moment: datetime) -> str:
    """list-keys gives dates as epoch milliseconds in a string (B3 sample: "1502799822000")."""
    return str(int(moment.timestamp() * 1000))


def rfc3339(moment: datetime) -> str:
    """The alias API's times (CreateAlias example: "2024-04-01T00:00:00Z")."""
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Key:
    key_id: str
    key_alias: str
    created: str
    key_state: str = "2"  # B3: 1 pending activation, 2 enabled, 3 disabled, 4 pending deletion, 5 pending import
    default_key_flag: str = "0"
    key_spec: str = "AES_256"
    description: str = ""
    scheduled_deletion_date: str = ""


@dataclass
class Alias:
    alias: str
    key_id: str
    created: str


class HuaweiKms:
    """The keys and aliases of one project."""

    def __init__(
        self,
        region: str,
        domain_id: str,
        project_id: str,
        alias_prefix: str = "required",
        alias_check: str = "before-key",
    ):
        self.region = region
        self.domain_id = domain_id
        self.project_id = project_id
        # CHOICE: the provider says an alias-API name "can only be prefixed with alias/"
        # ("required"); the API page's example is "kms-1234" ("optional": any non-empty name).
        self.alias_prefix = alias_prefix
        # CHOICE: which CreateAlias checks first, the alias ("before-key") or the key's existence
        # and state ("after-key"); no source says.
        self.alias_check = alias_check
        self.lock = threading.Lock()
        self.keys: list[Key] = []  # in creation order
        self.aliases: list[Alias] = []  # in creation order
        self.seed()

    def seed(self) -> None:
        """An enabled key (first, so that it is the first non-default key), a Default Master Key
        (default_key_flag "1", alias ending /default), a disabled key, a key pending deletion
        (key_state "4") and a key with an alias-API alias."""
        start = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)

        def add(n: int, alias: str, **attrs) -> Key:
            key = Key(key_id=str(uuid.uuid4()), key_alias=alias, created=millis(start + timedelta(days=n)), **attrs)
            self.keys.append(key)
            return key

        add(0, "seed-enabled")
        add(1, "obs/default", default_key_flag="1")
        add(2, "seed-disabled", key_state="3")
        add(3, "seed-pending", key_state="4", scheduled_deletion_date=millis(start + timedelta(days=40)))
        tagged = add(4, "seed-with-alias")
        self.aliases.append(Alias("alias/seed-app", tagged.key_id, rfc3339(start + timedelta(days=5))))

    # --- helpers -------------------------------------------------------------------------------

    def find_key(self, key_id: str) -> Key:
        key = next((k for k in self.keys if k.key_id == key_id), None)
        if key is None:
            raise no_such_key()
        return key

    @staticmethod
    def require(body: dict, *names: str) -> None:
        for name in names:
            if body.get(name) in (None, ""):
                raise missing(name)

    @staticmethod
    def check_key_id(value) -> str:
        if not isinstance(value, str) or not KEY_ID.match(value):
            raise bad_key_id()
        return value

    @staticmethod
    def check_key_alias(value) -> str:
        """The key_alias rule of UpdateKeyAlias (regex, and "The suffix cannot be /default")."""
        if not isinstance(value, str) or not KEY_ALIAS.match(value) or value.endswith("/default"):
            raise bad_alias()
        return value

    @staticmethod
    def check_sequence(body: dict) -> None:
        """The optional "36-byte sequence number of a request message" (UpdateKeyAlias page)."""
        sequence = body.get("sequence")
        if sequence is not None and (not isinstance(sequence, str) or len(sequence) != 36):
            raise ApiError(400, "KMS.0206", "Invalid sequence number.")

    @staticmethod
    def number(value, name: str, low: int, high: int, code: str, default: int) -> int:
        """A count sent as a string ("10") or a number, in [low, high]."""
        if value in (None, ""):
            return default
        text = str(value)
        if not re.match(r"^[0-9]+$", text) or not low <= int(text) <= high:
            raise ApiError(400, code, f"Invalid {name}.")
        return int(text)

    def alias_entity(self, alias: Alias) -> dict:
        # CreateAlias example: domain_id, key_id, alias, alias_urn kms:{region}:{domain}:alias:{alias}.
        return {
            "domain_id": self.domain_id,
            "key_id": alias.key_id,
            "alias": alias.alias,
            "alias_urn": f"kms:{self.region}:{self.domain_id}:alias:{alias.alias}",
            "create_time": alias.created,
            "update_time": alias.created,
        }

    # --- operations ----------------------------------------------------------------------------

    def create_key(self, body: dict) -> tuple[int, dict]:
        self.require(body, "key_alias")
        alias = self.check_key_alias(body["key_alias"])
        self.check_sequence(body)
        if any(k.key_alias == alias for k in self.keys):
            raise ApiError(400, "KMS.1104", "Duplicate key aliases.")
        key = Key(
            key_id=str(uuid.uuid4()),
            key_alias=alias,
            created=millis(datetime.now(timezone.utc)),
            key_spec=body.get("key_spec") or "AES_256",
            description=body.get("key_description") or "",
        )
        self.keys.append(key)
        # B3: 200 {"key_info": {"key_id": ..., "domain_id": ...}}
        return 200, {"key_info": {"key_id": key.key_id, "domain_id": self.domain_id}}

    def list_keys(self, body: dict) -> tuple[int, dict]:
        # B3 / OTC "Querying the list of CMKs": limit and marker are strings; marker is where the
        # next page starts. CHOICE: limit 1 to 2000 (the ListKeys page's "Range: 1 to 2000",
        # vendor-sources.md), default 2000; a marker that is not a non-negative integer is
        # KMS.1602 ("marker must be greater than or equals 0").
        limit = self.number(body.get("limit"), "limit", 1, 2000, "KMS.1601", 2000)
        marker = self.number(body.get("marker"), "marker", 0, 10**9, "KMS.1602", 0)
        state = body.get("key_state")
        spec = body.get("key_spec")
        matching = [
            k
            for k in self.keys
            if (not state or k.key_state == str(state)) and (not spec or spec == "ALL" or k.key_spec == spec)
        ]
        page = matching[marker : marker + limit]
        more = marker + limit < len(matching)
        details = [
            {
                "key_id": k.key_id,
                "domain_id": self.domain_id,
                "key_alias": k.key_alias,
                "realm": self.region,
                "key_description": k.description,
                "creation_date": k.created,
                "scheduled_deletion_date": k.scheduled_deletion_date,
                "key_state": k.key_state,
                "default_key_flag": k.default_key_flag,
                "key_type": "1",
                "expiration_time": "",
                "origin": "kms",
            }
            for k in page
        ]
        return 200, {
            "keys": [k.key_id for k in page],
            "key_details": details,
            "next_marker": str(marker + limit) if more else "",
            "truncated": "true" if more else "false",  # B3: a string
            "total": len(matching),  # B3: an integer
        }

    def update_key_alias(self, body: dict) -> tuple[int, dict]:
        # UpdateKeyAlias page; codes from the KMS error table (the page leaves them KMS.XXX).
        self.require(body, "key_id", "key_alias")
        key_id = self.check_key_id(body["key_id"])
        alias = self.check_key_alias(body["key_alias"])
        self.check_sequence(body)
        key = self.find_key(key_id)
        if key.default_key_flag == "1":
            # Page: "A Default Master Key (the alias suffix of which is /default) does not allow
            # alias changes."
            raise ApiError(400, "KMS.0211", "Cannot perform this operation on Default Master Keys.")
        if key.key_state == "4":
            # Page: "A CMK in Scheduled deletion status does not allow alias changes."
            raise ApiError(400, "KMS.0210", "Scheduled deletion state.")
        if any(k.key_alias == alias and k is not key for k in self.keys):
            raise ApiError(400, "KMS.1104", "Duplicate key aliases.")
        key.key_alias = alias
        return 200, {"key_info": {"key_id": key.key_id, "key_alias": key.key_alias}}

    def schedule_key_deletion(self, body: dict) -> tuple[int, dict]:
        # POST /v1.0/{project_id}/kms/schedule-key-deletion (issue 12 deliverable 6); the SDK's
        # ScheduleKeyDeletionRequestBody: key_id, pending_days a string "取值为7到1096" (7 to 1096),
        # optional sequence. The key goes to key_state "4" (pending deletion).
        self.require(body, "key_id", "pending_days")
        key_id = self.check_key_id(body["key_id"])
        days = self.number(body["pending_days"], "pending_days", 7, 1096, "KMS.0308", 0)
        self.check_sequence(body)
        key = self.find_key(key_id)
        if key.default_key_flag == "1":
            raise ApiError(400, "KMS.0211", "Cannot perform this operation on Default Master Keys.")
        if key.key_state == "4":
            raise ApiError(400, "KMS.0210", "Scheduled deletion state.")
        key.key_state = "4"
        key.scheduled_deletion_date = millis(datetime.now(timezone.utc) + timedelta(days=days))
        return 200, {"key_id": key.key_id, "key_state": key.key_state}

    def create_alias(self, body: dict) -> tuple[int, dict]:
        # CreateAlias page: key_id and alias required; key_id matches the regex; "The alias of an
        # account in the same region must be unique". The provider: an alias "can only be
        # prefixed with alias/". CHOICE: nothing else is required of an alias (no source states a
        # length or character set).
        self.require(body, "key_id", "alias")
        key_id = self.check_key_id(body["key_id"])
        alias = body["alias"]
        if self.alias_check == "before-key":
            self.check_alias(alias)
        key = self.find_key(key_id)
        if key.key_state == "4":
            raise ApiError(400, "KMS.0210", "Scheduled deletion state.")
        if self.alias_check == "after-key":
            self.check_alias(alias)
        if any(a.alias == alias for a in self.aliases):
            raise ApiError(400, "KMS.1104", "Duplicate key aliases.")
        entry = Alias(alias, key.key_id, rfc3339(datetime.now(timezone.utc)))
        self.aliases.append(entry)
        return 201, self.alias_entity(entry)

    def check_alias(self, alias) -> None:
        """An alias-API name: a non-empty string, prefixed with alias/ unless the prefix is optional."""
        if not isinstance(alias, str) or alias in ("", "alias/"):
            raise bad_alias()
        if self.alias_prefix == "required" and not alias.startswith("alias/"):
            raise bad_alias()

    def list_aliases(self, query: dict) -> tuple[int, dict]:
        # GET /kms/aliases?key_id=&limit=&marker= (B3). The answer is one object with aliases and
        # page_info (the Terraform provider reads page_info.next_marker and loops until it is "").
        # CHOICE: limit 1 to 100, default 50 (the provider sends 50); marker is an offset.
        key_id = query.get("key_id")
        if key_id:
            self.find_key(self.check_key_id(key_id))
        limit = self.number(query.get("limit"), "limit", 1, 100, "KMS.1601", 50)
        marker = self.number(query.get("marker"), "marker", 0, 10**9, "KMS.1602", 0)
        matching = [a for a in self.aliases if not key_id or a.key_id == key_id]
        page = matching[marker : marker + limit]
        more = marker + limit < len(matching)
        return 200, {
            "aliases": [self.alias_entity(a) for a in page],
            "page_info": {"next_marker": str(marker + limit) if more else "", "current_count": len(page)},
        }

    def delete_alias(self, body: dict) -> tuple[int, dict | None]:
        # B3: DELETE with a JSON body {"key_id": ..., "aliases": [...]}, 204 and no body.
        self.require(body, "key_id", "aliases")
        key_id = self.check_key_id(body["key_id"])
        names = body["aliases"]
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise bad_parameter("aliases")
        self.find_key(key_id)
        bound = [a for a in self.aliases if a.key_id == key_id]
        if any(n not in {a.alias for a in bound} for n in names):
            # CHOICE: no source names the code for an alias that is not the key's.
            raise bad_parameter("aliases")
        self.aliases = [a for a in self.aliases if not (a.key_id == key_id and a.alias in names)]
        return 204, None


ROUTES = {
    ("POST", "create-key"): HuaweiKms.create_key,
    ("POST", "list-keys"): HuaweiKms.list_keys,
    ("POST", "update-key-alias"): HuaweiKms.update_key_alias,
    ("POST", "schedule-key-deletion"): HuaweiKms.schedule_key_deletion,
    ("POST", "aliases"): HuaweiKms.create_alias,
    ("GET", "aliases"): HuaweiKms.list_aliases,
    ("DELETE", "aliases"): HuaweiKms.delete_alias,
}


def answer(service: HuaweiKms, method: str, path: str, query: str, raw: bytes) -> tuple[int, dict | None]:
    """One REST request: (status, JSON body or None)."""
    try:
        found = PATH.match(path)
        if not found or len(found.group(1)) != 32:
            raise ApiError(400, "KMS.0201", "Invalid request URL.")
        operation = found.group(2)
        handler = ROUTES.get((method, operation))
        if handler is None:
            if any(op == operation for _, op in ROUTES):
                raise ApiError(405, "KMS.0215", "Request method not supported.")
            raise ApiError(400, "KMS.0201", "Invalid request URL.")
        if method == "GET":
            params = {k: v[0] for k, v in parse_qs(query, keep_blank_values=True).items()}
        else:
            try:
                params = json.loads(raw.decode("utf-8")) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError):
                raise bad_json() from None
            if not isinstance(params, dict):
                raise bad_json()
        with service.lock:
            return handler(service, params)
    except ApiError as err:
        return err.status, {"error": {"error_code": err.code, "error_msg": err.message}}
