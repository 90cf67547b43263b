//! GitHub Actions annotations: one `::error file=…,line=…,col=…,title=…::…` workflow command per
//! failing finding, so that a failure shows on the case file's line in a pull request. Printed
//! by `specgate run` when `GITHUB_ACTIONS=true`.

use super::finding_text::fold;
use super::model::{Report, Status};
use super::text::sorted_findings;

/// The most `::error` lines one run prints; the rest are counted in a `::notice`.
pub const MAX_ANNOTATIONS: usize = 50;

/// True when the environment says the process runs in GitHub Actions.
pub fn in_github_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").as_deref() == Ok("true")
}

/// A message as a workflow command's data: `%`, CR and LF escaped.
fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: the data escapes, and `:` and `,` too.
fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The annotations of the run's failing findings (cases that fail the gate: failures, errors
/// and, with `--strict-readings`, documentation ambiguities), folded as the console folds
/// them, at most [`MAX_ANNOTATIONS`], then a notice with how many were left out.
pub fn github_annotations(r: &Report) -> std::io::Result<String> {
    annotations_at_most(r, MAX_ANNOTATIONS)
}

/// [`github_annotations`] with at most `max` `::error` lines.
pub fn annotations_at_most(r: &Report, max: usize) -> std::io::Result<String> {
    let strict = r.run.strict_readings;
    let failing = move |s: Status| {
        matches!(s, Status::Fail | Status::Error) || (strict && s == Status::Ambiguity)
    };
    let mut out = String::new();
    let mut shown = 0usize;
    let mut left = 0usize;
    for o in r.outcomes.filter_status(failing) {
        let o = o?;
        let findings = sorted_findings(&o);
        for g in fold(&findings) {
            if shown == max {
                left += 1;
                continue;
            }
            shown += 1;
            let title = if r.targets.len() > 1 {
                format!("{} on {}", o.id, o.target)
            } else {
                o.id.clone()
            };
            let mut props = Vec::new();
            if let Some(src) = &g.first.source {
                props.push(format!("file={}", escape_property(&src.file)));
                props.push(format!("line={}", src.line));
                props.push(format!("col={}", src.col));
            }
            props.push(format!("title={}", escape_property(&title)));
            out.push_str(&format!(
                "::error {}::{}\n",
                props.join(","),
                escape_data(&g.text())
            ));
        }
    }
    if left > 0 {
        out.push_str(&format!(
            "::notice title=specgate::{left} more failing findings not annotated (at most {max}); see the report\n"
        ));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn data_and_properties_are_escaped_as_github_requires() {
        assert_eq!(escape_data("100% a\r\nb"), "100%25 a%0D%0Ab");
        assert_eq!(
            escape_property("alibaba-kms/ListKeys::x, y%"),
            "alibaba-kms/ListKeys%3A%3Ax%2C y%25"
        );
    }
}
