//! Deviation modes: switches that make the emulator break exactly one documented rule.
//!
//! The faithful emulator is the oracle of the suite; a deviating one is its test. Each
//! [`Deviation`] is a narrow hook at the one place that implements its rule (a bound, a field, a
//! status), so `specgate serve --deviate NAME` (or [`Config::deviations`]) yields a target that
//! differs from the documentation in that one respect, and `tests/detection.rs` proves the
//! shipped cases notice it. `docs/detection-matrix.md` lists which cases catch which deviation.
//!
//! [`Config::deviations`]: super::Config::deviations

use std::time::Duration;

use super::config::Config;
use super::incoming::Incoming;

/// The delay of [`Deviation::SlowResponse`] when none is configured: longer than the default
/// per-request timeout of `specgate run` (10 s).
pub const DEFAULT_SLOW_DELAY: Duration = Duration::from_secs(15);

/// Declares the deviations: the enum, its registry and its metadata, from one table.
macro_rules! deviations {
    ($(
        $(#[$doc:meta])*
        $variant:ident {
            name: $name:literal,
            area: $area:literal,
            rule: $rule:literal,
            description: $description:literal $(,)?
        }
    )*) => {
        /// One documented rule the emulator can be told to break.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Deviation {
            $( $(#[$doc])* $variant, )*
        }

        impl Deviation {
            /// Every deviation, in registry order.
            pub const ALL: &'static [Deviation] = &[ $( Deviation::$variant, )* ];

            /// The command-line name (`--deviate NAME`).
            pub fn name(self) -> &'static str {
                match self { $( Deviation::$variant => $name, )* }
            }

            /// The group it belongs to: pagination, shape, value, error, behaviour, xml, transport.
            pub fn area(self) -> &'static str {
                match self { $( Deviation::$variant => $area, )* }
            }

            /// The documented rule it breaks, with its reference (`docs/interpretations.md`
            /// A1-A15, H1-H14, or the spec it is written in).
            pub fn rule(self) -> &'static str {
                match self { $( Deviation::$variant => $rule, )* }
            }

            /// What the emulator does instead, in one line.
            pub fn description(self) -> &'static str {
                match self { $( Deviation::$variant => $description, )* }
            }
        }
    };
}

deviations! {
    // --- pagination -------------------------------------------------------------------------
    /// ListKeys accepts PageSize up to 1000.
    ListKeysPageSizeAboveMax {
        name: "list-keys-page-size-above-max",
        area: "pagination",
        rule: "A2: ListKeys PageSize is 1 to 100; 101 is 400 InvalidParameter",
        description: "ListKeys accepts PageSize above 100 (up to 1000)",
    }
    /// ListKeys accepts PageSize 0.
    ListKeysPageSizeZero {
        name: "list-keys-page-size-zero",
        area: "pagination",
        rule: "A2: ListKeys PageSize is 1 to 100; 0 is 400 InvalidParameter",
        description: "ListKeys accepts PageSize 0 (and returns no keys)",
    }
    /// PageNumber 0 is accepted as page 1.
    PageNumberZero {
        name: "page-number-zero",
        area: "pagination",
        rule: "A4: PageNumber starts from 1; 0 is 400 InvalidParameter",
        description: "the Alibaba list operations accept PageNumber 0 (as page 1)",
    }
    /// A page holds one item more than PageSize when more exist.
    PageOversize {
        name: "page-oversize",
        area: "pagination",
        rule: "A2/A3: a page holds at most PageSize items",
        description: "Alibaba list pages hold PageSize + 1 items when that many remain",
    }
    /// TotalCount is one more than the number of items.
    TotalCountOffByOne {
        name: "total-count-off-by-one",
        area: "pagination",
        rule: "A1: TotalCount is the number of items across all pages",
        description: "Alibaba lists report TotalCount one higher than the items there are",
    }
    /// TotalCount is one less than the number of items.
    TotalCountTooLow {
        name: "total-count-too-low",
        area: "pagination",
        rule: "A1: TotalCount is the number of items across all pages",
        description: "Alibaba lists report TotalCount one lower than the items there are",
    }
    /// Full pages lose their last item.
    ShortPages {
        name: "short-pages",
        area: "pagination",
        rule: "A2/A3: every page but the last holds PageSize items",
        description: "full Alibaba list pages (PageSize 2 or more) leave out their last item",
    }
    /// The order within a page changes from one listing to the next.
    UnstableOrder {
        name: "unstable-order",
        area: "pagination",
        rule: "A13: list order is stable across calls",
        description: "ListKeyVersions reverses the items of each page on every other listing that spans several pages (a listing starts at page 1)",
    }
    /// Page N > 1 starts one item early.
    OverlappingPages {
        name: "overlapping-pages",
        area: "pagination",
        rule: "A13: page N holds items (N-1)*PageSize+1 .. N*PageSize; no item is on two pages",
        description: "ListAliasesByKeyId and ListKeyVersions pages after the first start one item early, repeating the previous page's last item",
    }
    /// PageNumber is echoed as 1 whatever was asked for.
    PageNumberEchoWrong {
        name: "page-number-echo-wrong",
        area: "pagination",
        rule: "A1: PageNumber echoes the page returned",
        description: "Alibaba lists echo PageNumber 1 whatever page was asked for",
    }
    /// A page past the end repeats the last page.
    PagePastEndNotEmpty {
        name: "page-past-end-not-empty",
        area: "pagination",
        rule: "A4: a page past the end is 200 with an empty list",
        description: "a page past the end of an Alibaba list repeats the last page's items",
    }

    // --- types and shapes -------------------------------------------------------------------
    /// TotalCount is a JSON string.
    TotalCountString {
        name: "total-count-string",
        area: "shape",
        rule: "A1: TotalCount is an integer",
        description: "Alibaba lists send TotalCount as a string (\"22\")",
    }
    /// ListKeys sends `Keys` as a bare array.
    KeysBareArray {
        name: "keys-bare-array",
        area: "shape",
        rule: "A1: ListKeys lists keys as Keys.Key[] (not the page sample's bare array)",
        description: "ListKeys sends \"Keys\": [...] instead of \"Keys\": {\"Key\": [...]}",
    }
    /// Success bodies have no RequestId.
    MissingRequestId {
        name: "missing-request-id",
        area: "shape",
        rule: "A1: every Alibaba answer carries RequestId",
        description: "Alibaba success bodies have no RequestId",
    }
    /// ListKeyVersions wraps its body in `{"KMS": ...}`.
    KmsWrapper {
        name: "kms-wrapper",
        area: "shape",
        rule: "A1: no KMS wrapper (the ListKeyVersions page sample has one)",
        description: "ListKeyVersions wraps its body in {\"KMS\": {...}}",
    }
    /// An empty list is `null`.
    NullEmptyList {
        name: "null-empty-list",
        area: "shape",
        rule: "A1: an empty list is {\"Key\": []}",
        description: "an empty Alibaba list is sent as null ({\"Key\": null})",
    }
    /// list-keys `total` is a string.
    HuaweiTotalString {
        name: "huawei-total-string",
        area: "shape",
        rule: "H14: list-keys total is an integer",
        description: "Huawei list-keys sends total as a string (\"11\")",
    }

    // --- values and patterns ----------------------------------------------------------------
    /// Huawei CreateAlias echoes key_id in upper case.
    HuaweiKeyIdFormat {
        name: "huawei-key-id-format",
        area: "value",
        rule: "H4/H12: key_id matches ^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$",
        description: "Huawei CreateAlias answers with the key_id in upper case",
    }
    /// ListAliasesByKeyId drops the `alias/` prefix of AliasName.
    AliasNameWithoutPrefix {
        name: "alias-name-without-prefix",
        area: "value",
        rule: "A10: an AliasName is alias/ + 1 to 255 of [a-zA-Z0-9_/-]",
        description: "ListAliasesByKeyId sends AliasName without its alias/ prefix",
    }
    /// AliasArn names the key instead of the alias.
    AliasArnWithoutName {
        name: "alias-arn-without-name",
        area: "value",
        rule: "reference A6: AliasArn is acs:kms:{region}:{account}:{AliasName}",
        description: "ListAliasesByKeyId sends an AliasArn built from the key id, not the AliasName",
    }
    /// ListKeyVersions CreationDate in local time with an offset.
    CreationDateNotUtc {
        name: "creation-date-not-utc",
        area: "value",
        rule: "ListKeyVersions spec: CreationDate is ISO 8601 UTC, YYYY-MM-DDTHH:MM:SSZ",
        description: "ListKeyVersions sends CreationDate in UTC+8 with an offset (2024-01-01T08:00:00+08:00)",
    }
    /// Huawei alias entities lack alias_urn.
    HuaweiAliasUrnMissing {
        name: "huawei-alias-urn-missing",
        area: "value",
        rule: "H12: an alias entity carries alias_urn kms:{region}:{domain_id}:alias:{alias}",
        description: "Huawei alias entities (CreateAlias, ListAliases) have no alias_urn",
    }
    /// Huawei ListAliases answers its page object wrapped in a one-element array.
    HuaweiListAliasesArray {
        name: "huawei-list-aliases-array",
        area: "shape",
        rule: "H13: ListAliases answers one object {\"aliases\": [...], \"page_info\": {...}} (provider and page examples)",
        description: "Huawei ListAliases answers [{\"aliases\": [...], \"page_info\": {...}}], as the page's table (\"[items] Array\") reads",
    }
    /// Huawei alias times in epoch milliseconds.
    HuaweiCreateTimeNotRfc3339 {
        name: "huawei-create-time-not-rfc3339",
        area: "value",
        rule: "H12: create_time and update_time are RFC 3339 UTC, YYYY-MM-DDTHH:MM:SSZ",
        description: "Huawei alias entities send create_time and update_time as epoch milliseconds",
    }
    /// ListKeys KeyArn names the next key.
    KeyArnOfAnotherKey {
        name: "key-arn-of-another-key",
        area: "value",
        rule: "reference A6: an item's KeyArn is acs:kms:{region}:{account}:key/{its own KeyId}",
        description: "ListKeys items carry the KeyArn of the next key (as the page's sample does)",
    }
    /// ListKeyVersions items carry another key's id.
    VersionsOfAnotherKey {
        name: "versions-of-another-key",
        area: "value",
        rule: "ListKeyVersions: every version carries the queried key's KeyId",
        description: "ListKeyVersions items carry the KeyId of another key",
    }

    // --- errors -----------------------------------------------------------------------------
    /// `InvalidParameter` is spelt `InvalidParamater`.
    ErrorCodeMisspelt {
        name: "error-code-misspelt",
        area: "error",
        rule: "A2-A4, A9, A10: an invalid parameter is the code InvalidParameter",
        description: "Alibaba answers InvalidParamater (sic) instead of InvalidParameter",
    }
    /// InvalidParameter with status 500.
    ServerErrorForBadRequest {
        name: "server-error-for-bad-request",
        area: "error",
        rule: "A2-A4: InvalidParameter is status 400",
        description: "Alibaba answers InvalidParameter with status 500 instead of 400",
    }
    /// Alibaba error fields renamed.
    AlibabaErrorShape {
        name: "alibaba-error-shape",
        area: "error",
        rule: "A14: the error body is {RequestId, HostId, Code, Message, Recommend}",
        description: "Alibaba error bodies name their fields ErrorCode and ErrorMessage",
    }
    /// Huawei error body flattened.
    HuaweiErrorFlat {
        name: "huawei-error-flat",
        area: "error",
        rule: "H1: the error body is {\"error\": {\"error_code\", \"error_msg\"}}",
        description: "Huawei KMS errors are flat: {\"error_code\", \"error_msg\"}",
    }
    /// ListAliasesByKeyId without KeyId lists every alias.
    MissingKeyIdAccepted {
        name: "missing-key-id-accepted",
        area: "error",
        rule: "A6: a missing required parameter is 400 MissingParameter",
        description: "ListAliasesByKeyId without KeyId answers 200 with every alias",
    }
    /// Unknown KeyId answered with an empty list.
    UnknownKeyOk {
        name: "unknown-key-ok",
        area: "error",
        rule: "A7: an unknown KeyId is 404 Forbidden.KeyNotFound",
        description: "ListAliasesByKeyId of an unknown KeyId answers 200 with an empty list",
    }

    // --- behaviour --------------------------------------------------------------------------
    /// ListKeys validates Filters but does not apply them.
    FiltersIgnored {
        name: "filters-ignored",
        area: "behaviour",
        rule: "A9: ListKeys returns only the keys that match Filters",
        description: "ListKeys validates Filters but returns every key",
    }
    /// Alibaba duplicate aliases accepted.
    AlibabaDuplicateAliasAccepted {
        name: "alibaba-duplicate-alias-accepted",
        area: "behaviour",
        rule: "A11: an alias name in use is 400 AliasAlreadyExists",
        description: "Alibaba CreateAlias binds an alias name that is already in use",
    }
    /// `alias/acs/` accepted.
    ReservedAliasAccepted {
        name: "reserved-alias-accepted",
        area: "behaviour",
        rule: "A10: names under alias/acs/ are reserved (400 InvalidParameter)",
        description: "Alibaba CreateAlias accepts names under the reserved alias/acs/",
    }
    /// DeleteAlias of an unknown alias succeeds.
    UnknownAliasDeleteOk {
        name: "unknown-alias-delete-ok",
        area: "behaviour",
        rule: "A12: DeleteAlias of an unknown alias is 404 Forbidden.AliasNotFound",
        description: "Alibaba DeleteAlias of an alias that does not exist answers 200",
    }
    /// Huawei CreateAlias answers 200.
    HuaweiCreateAlias200 {
        name: "huawei-create-alias-200",
        area: "behaviour",
        rule: "H11: CreateAlias answers 201",
        description: "Huawei CreateAlias answers 200 instead of 201",
    }
    /// Huawei DeleteAlias answers 200 with a body.
    HuaweiDeleteAlias200 {
        name: "huawei-delete-alias-200",
        area: "behaviour",
        rule: "H11: DeleteAlias answers 204 without a body",
        description: "Huawei DeleteAlias answers 200 with {} instead of 204",
    }
    /// A malformed key_id is looked up like any other.
    HuaweiBadKeyIdAccepted {
        name: "huawei-bad-key-id-accepted",
        area: "behaviour",
        rule: "H4: a key_id not matching the regex is 400 KMS.0205, before any lookup",
        description: "Huawei skips the key_id format check (a malformed id is 404 KMS.0207)",
    }
    /// Aliases ending in /default accepted.
    HuaweiDefaultSuffixAccepted {
        name: "huawei-default-suffix-accepted",
        area: "behaviour",
        rule: "H6/H7: an alias ending in /default is 400 KMS.1101",
        description: "Huawei accepts aliases ending in /default",
    }
    /// Aliases longer than 255 characters accepted.
    HuaweiLongAliasAccepted {
        name: "huawei-long-alias-accepted",
        area: "behaviour",
        rule: "H6/H7: an alias is 1 to 255 characters; longer is 400 KMS.1101",
        description: "Huawei accepts aliases longer than 255 characters",
    }
    /// Huawei alias uniqueness not enforced.
    HuaweiDuplicateAliasAccepted {
        name: "huawei-duplicate-alias-accepted",
        area: "behaviour",
        rule: "H8: an alias in use in the project is 400 KMS.1104",
        description: "Huawei CreateAlias and UpdateKeyAlias accept an alias already in use",
    }
    /// Keys pending deletion accept alias changes.
    HuaweiPendingDeletionAccepted {
        name: "huawei-pending-deletion-accepted",
        area: "behaviour",
        rule: "H10: CreateAlias/UpdateKeyAlias on a key pending deletion is 400 KMS.0210",
        description: "Huawei changes aliases of keys pending deletion",
    }
    /// The Default Master Key's alias can be changed.
    HuaweiDefaultKeyUpdateAccepted {
        name: "huawei-default-key-update-accepted",
        area: "behaviour",
        rule: "H9: UpdateKeyAlias on a Default Master Key is 400 KMS.0211",
        description: "Huawei UpdateKeyAlias renames Default Master Keys",
    }
    /// UpdateKeyAlias echoes the previous alias.
    HuaweiUpdateEchoesOldAlias {
        name: "huawei-update-echoes-old-alias",
        area: "behaviour",
        rule: "UpdateKeyAlias spec: key_info carries the new key_alias",
        description: "Huawei UpdateKeyAlias stores the new alias but answers with the old one",
    }
    // --- the XML face (Format=XML) -----------------------------------------------------------
    /// XML answers labelled as JSON.
    XmlJsonContentType {
        name: "xml-json-content-type",
        area: "xml",
        rule: "ListKeys page: the XML sample is served as Content-Type: application/xml",
        description: "Alibaba answers Format=XML with an XML body labelled application/json;charset=utf-8",
    }
    /// ListKeys XML without the `<Key>` item wrappers.
    XmlKeyWrapperDropped {
        name: "xml-key-wrapper-dropped",
        area: "xml",
        rule: "A1: the list is Keys.Key[]; in XML every key is a <Key> element inside <Keys>",
        description: "ListKeys answers Format=XML with the keys' fields straight inside <Keys> (no <Key>), as the page's XML sample shows",
    }
    /// Format=XML ignored: JSON answered.
    XmlAnsweredJson {
        name: "xml-answered-json",
        area: "xml",
        rule: "the pages document an XML answer: Format=XML is answered with XML",
        description: "Alibaba ignores Format=XML and answers JSON",
    }
    // --- transport --------------------------------------------------------------------------
    /// JSON served as text/plain.
    JsonAsTextPlain {
        name: "json-as-text-plain",
        area: "transport",
        rule: "every JSON answer has a JSON Content-Type",
        description: "JSON answers of both clouds are served as text/plain;charset=utf-8",
    }
    /// ListKeyVersions body is not JSON.
    NonJsonBody {
        name: "non-json-body",
        area: "transport",
        rule: "every answer but a 204 is a JSON body",
        description: "ListKeyVersions answers a truncated body that is not JSON",
    }
    /// ListKeyVersions answers after a delay.
    SlowResponse {
        name: "slow-response",
        area: "transport",
        rule: "an answer comes within the client's timeout",
        description: "ListKeyVersions answers only after a delay (15 s unless configured)",
    }
}

/// The run-time memory of the deviations that depend on earlier requests.
#[derive(Debug, Default)]
pub(super) struct Memory {
    /// [`Deviation::UnstableOrder`]: how many listings (page 1 requests) each list has had.
    listings: std::sync::Mutex<std::collections::HashMap<String, u64>>,
}

impl Memory {
    /// [`Deviation::UnstableOrder`]: counts a listing when `page` is 1 and says whether this
    /// listing of `list` (its parameters but the page number) is reversed: every other one is.
    pub(super) fn reversed_listing(&self, list: String, page: i64) -> bool {
        let mut listings = self.listings.lock().unwrap_or_else(|e| e.into_inner());
        let n = listings.entry(list).or_insert(0);
        if page <= 1 {
            *n += 1;
        }
        *n % 2 == 1
    }
}

/// The registry: every deviation, in order.
pub fn deviations() -> &'static [Deviation] {
    Deviation::ALL
}

impl Deviation {
    /// The deviation with this command-line name.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|d| d.name() == name)
    }
}

impl std::fmt::Display for Deviation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

impl std::str::FromStr for Deviation {
    type Err = UnknownDeviation;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_name(s).ok_or_else(|| UnknownDeviation(s.to_string()))
    }
}

/// A `--deviate` name that is not in the registry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownDeviation(pub String);

impl std::fmt::Display for UnknownDeviation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unknown deviation `{}`; valid names: ", self.0)?;
        for (i, d) in Deviation::ALL.iter().enumerate() {
            if i > 0 {
                f.write_str(", ")?;
            }
            f.write_str(d.name())?;
        }
        Ok(())
    }
}

impl std::error::Error for UnknownDeviation {}

/// The `--list-deviations` text: one `name  description` line per deviation.
pub(super) fn listing() -> String {
    let width = Deviation::ALL
        .iter()
        .map(|d| d.name().len())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for d in Deviation::ALL {
        out.push_str(&format!("{:width$}  {}\n", d.name(), d.description()));
    }
    out
}

/// How long to hold the answer to this request back, if [`Deviation::SlowResponse`] applies
/// to it (Alibaba ListKeyVersions only, so that the other cases keep their pace).
pub(super) fn delay_for(config: &Config, req: &Incoming) -> Option<Duration> {
    if !config.deviates(Deviation::SlowResponse) || req.path != "/" {
        return None;
    }
    let params = super::alibaba::Params::from_request(req);
    let action = params
        .get("Action")
        .or_else(|| req.header("x-acs-action"))
        .unwrap_or("");
    (action == "ListKeyVersions").then_some(config.slow_response_delay)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_registry_has_unique_kebab_case_names_and_full_metadata() {
        assert!(deviations().len() >= 30, "{}", deviations().len());
        let mut seen = HashSet::new();
        for d in deviations() {
            assert!(seen.insert(d.name()), "duplicate {}", d.name());
            assert!(
                d.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-'),
                "{}",
                d.name()
            );
            assert!(!d.description().is_empty() && !d.rule().is_empty());
            assert!(
                [
                    "pagination",
                    "shape",
                    "value",
                    "error",
                    "behaviour",
                    "xml",
                    "transport"
                ]
                .contains(&d.area()),
                "{}",
                d.area()
            );
            assert_eq!(Deviation::from_name(d.name()), Some(*d));
            assert_eq!(d.name().parse::<Deviation>(), Ok(*d));
        }
    }

    #[test]
    fn an_unknown_name_lists_the_valid_ones() {
        let e = "no-such".parse::<Deviation>().expect_err("unknown");
        let text = e.to_string();
        assert!(text.starts_with("unknown deviation `no-such`"), "{text}");
        for d in deviations() {
            assert!(text.contains(d.name()), "{text}");
        }
    }

    #[test]
    fn the_listing_has_one_line_per_deviation() {
        let text = listing();
        assert_eq!(text.lines().count(), deviations().len());
        assert!(
            text.lines()
                .any(|l| l.starts_with("total-count-off-by-one ")
                    && l.ends_with(Deviation::TotalCountOffByOne.description()))
        );
    }
}
