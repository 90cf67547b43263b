//! Canonical query strings and header blocks shared by the signature algorithms.

use super::SignableRequest;
use super::encode;

/// Pairs sorted by name then value (byte order), encoded, joined as `k=v&k=v`; empty values keep `=`.
///
/// Alibaba and Huawei encode with the same unreserved set, so one function serves both.
pub(crate) fn canonical_query(params: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = params.iter().collect();
    sorted.sort();
    sorted
        .iter()
        .map(|(k, v)| format!("{}={}", encode::alibaba(k), encode::alibaba(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Lower-cased, sorted, de-duplicated header names.
pub(crate) fn normalize_names<S: AsRef<str>>(names: &[S]) -> Vec<String> {
    let mut out: Vec<String> = names
        .iter()
        .map(|n| n.as_ref().trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// `name:trimmed value\n` for each (already normalized) name; an absent header has an empty value.
pub(crate) fn canonical_headers(req: &SignableRequest, names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("{n}:{}\n", req.header(n).unwrap_or("").trim()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn query_is_sorted_encoded_and_keeps_empty_values() {
        let q = pairs(&[("b", "x y"), ("SignatureType", ""), ("a", "2"), ("a", "1")]);
        assert_eq!(canonical_query(&q), "SignatureType=&a=1&a=2&b=x%20y");
        assert_eq!(canonical_query(&[]), "");
    }

    #[test]
    fn header_names_are_normalized_and_values_trimmed() {
        let names = normalize_names(&["X-Sdk-Date", "host", "Host", " "]);
        assert_eq!(names, vec!["host".to_string(), "x-sdk-date".to_string()]);
        let mut req = SignableRequest::new("GET", "/");
        req.headers.push(("Host".into(), "  h:80 ".into()));
        assert_eq!(canonical_headers(&req, &names), "host:h:80\nx-sdk-date:\n");
    }
}
