//! Reads a shard's `report.json` as a stream: the run facts and targets into a [`Header`], and
//! each outcome, one at a time, to a callback, so that a merge never holds a shard's outcomes in
//! memory. A damaged or truncated file is an error with its line and column.

use std::fmt;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use serde::Deserialize;
use serde::de::{DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::error::{Refused, ReportProblem};
use crate::report::{OutcomeReport, SuiteDigest, TargetInfo};

/// What a merge needs of a shard's report besides its outcomes.
#[derive(Debug, Default)]
pub(crate) struct Header {
    /// `schema_version`.
    pub schema_version: Option<u32>,
    /// `run`.
    pub run: Option<ShardRun>,
    /// `targets`.
    pub targets: Vec<TargetInfo>,
    /// How many outcomes were read.
    pub outcomes: usize,
}

/// The `run` object of a shard's report.
#[derive(Debug, Clone, Deserialize)]
pub(crate) struct ShardRun {
    /// The run id.
    pub id: String,
    /// UTC start time, RFC 3339.
    pub started_at: String,
    /// Wall time in milliseconds.
    pub duration_ms: u64,
    /// The run's resource prefix.
    pub run_prefix: String,
    /// True when the run was interrupted.
    pub partial: bool,
    /// `--insecure`.
    #[serde(default)]
    pub insecure: bool,
    /// `--allow-mutations`.
    #[serde(default)]
    pub allow_mutations: bool,
    /// The suite digest (absent in reports of specgate before `merge`).
    #[serde(default)]
    pub suite: Option<SuiteDigest>,
    /// `K/N` for a shard run.
    #[serde(default)]
    pub shard: Option<String>,
    /// The lines about cases left out of the plan (a service the target does not serve).
    #[serde(default)]
    pub left_out: Vec<String>,
}

/// Reads `path`, giving each outcome to `each` in file order; `each` may refuse one (its
/// message becomes the error). The error text says where in the file reading stopped.
pub(crate) fn read_report(
    path: &Path,
    each: &mut dyn FnMut(OutcomeReport) -> Result<(), Refused>,
) -> Result<Header, ReportProblem> {
    let file = File::open(path).map_err(ReportProblem::Open)?;
    let mut de = serde_json::Deserializer::from_reader(BufReader::with_capacity(256 * 1024, file));
    // An outcome quotes answers nested as deep as serde_json parses them (as the run's own
    // records do, src/report/store.rs); the depth stays that of what the run wrote.
    de.disable_recursion_limit();
    let mut header = Header::default();
    ReportSeed {
        header: &mut header,
        each,
    }
    .deserialize(&mut de)
    .map_err(describe)?;
    de.end().map_err(describe)?;
    if header.run.is_none() {
        return Err(ReportProblem::NoRun);
    }
    Ok(header)
}

/// A JSON error as a sentence: truncated, or damaged at a line and column.
fn describe(e: serde_json::Error) -> ReportProblem {
    if e.is_eof() {
        ReportProblem::Truncated {
            line: e.line(),
            column: e.column(),
        }
    } else {
        ReportProblem::Damaged(e)
    }
}

struct ReportSeed<'a> {
    header: &'a mut Header,
    each: &'a mut dyn FnMut(OutcomeReport) -> Result<(), Refused>,
}

impl<'de> DeserializeSeed<'de> for ReportSeed<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for ReportSeed<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a specgate report.json object")
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut seen_outcomes = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "schema_version" => self.header.schema_version = Some(map.next_value()?),
                "run" => self.header.run = Some(map.next_value()?),
                "targets" => self.header.targets = map.next_value()?,
                "outcomes" => {
                    seen_outcomes = true;
                    self.header.outcomes = map.next_value_seed(OutcomesSeed {
                        each: &mut *self.each,
                    })?;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if !seen_outcomes {
            return Err(serde::de::Error::custom(
                "it has no `outcomes`: not a complete specgate report.json",
            ));
        }
        Ok(())
    }
}

struct OutcomesSeed<'a> {
    each: &'a mut dyn FnMut(OutcomeReport) -> Result<(), Refused>,
}

impl<'de> DeserializeSeed<'de> for OutcomesSeed<'_> {
    type Value = usize;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for OutcomesSeed<'_> {
    type Value = usize;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an array of outcomes")
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<usize, A::Error> {
        let mut n = 0;
        while let Some(o) = seq.next_element::<OutcomeReport>()? {
            n += 1;
            (self.each)(o).map_err(serde::de::Error::custom)?;
        }
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_truncated_or_damaged_file_is_an_error_that_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("report.json");
        let mut none = |_o: OutcomeReport| Ok(());
        std::fs::write(&p, r#"{"run": {"id": "x", "started_at": "1970-01-01T00:00:00Z", "duration_ms": 0, "run_prefix": "sg-1", "partial": false}, "outcomes": ["#).unwrap();
        let e = read_report(&p, &mut none).unwrap_err().to_string();
        assert!(e.contains("truncated"), "{e}");
        std::fs::write(&p, r#"{"run": {"id": "x", "started_at": "1970-01-01T00:00:00Z", "duration_ms": 0, "run_prefix": "sg-1", "partial": false}, "outcomes": [{"id": 3}]}"#).unwrap();
        let e = read_report(&p, &mut none).unwrap_err().to_string();
        assert!(e.contains("damaged"), "{e}");
        std::fs::write(&p, r#"{"run": {"id": "x", "started_at": "1970-01-01T00:00:00Z", "duration_ms": 0, "run_prefix": "sg-1", "partial": false}}"#).unwrap();
        let e = read_report(&p, &mut none).unwrap_err().to_string();
        assert!(e.contains("no `outcomes`"), "{e}");
        std::fs::write(&p, r#"{"run": {"id": "x", "started_at": "1970-01-01T00:00:00Z", "duration_ms": 0, "run_prefix": "sg-1", "partial": false}, "outcomes": []} x"#).unwrap();
        let e = read_report(&p, &mut none).unwrap_err().to_string();
        assert!(e.contains("damaged"), "{e}");
        std::fs::write(&p, r#"{"run": {"id": "x", "started_at": "1970-01-01T00:00:00Z", "duration_ms": 0, "run_prefix": "sg-1", "partial": false}, "outcomes": []}"#).unwrap();
        let h = read_report(&p, &mut none).unwrap();
        assert_eq!(h.outcomes, 0);
        assert_eq!(h.run.unwrap().run_prefix, "sg-1");
    }
}
