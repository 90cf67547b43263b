//! The compatibility matrix (operation × target, case × target, a score per target, and with
//! `--reference` the parity row) and the field coverage of each target.
//!
//! A score is `passed / judged`, where judged outcomes are the conformance verdicts: passed,
//! failed, documentation ambiguities and known deviations. Errors, skipped and inconclusive
//! outcomes say nothing about conformance and are counted apart.
//!
//! Field coverage is an honest approximation, documented in `docs/reports.md`: the documented
//! fields of an operation are the object members its success-response schema declares; a field
//! counts as compared on a target when it appears in a 2xx JSON answer recorded by a passing case
//! of that operation's case file on that target (a passing case validated that answer against the
//! schema, so the field was checked at least for type and shape).

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;
use serde_json::Value;

use super::outcome::OutcomeReport;
use super::status::{Counts, Status};
use crate::case::Provenance;

/// Operation × target and case × target.
#[derive(Debug, Clone, Serialize)]
pub struct Matrix {
    /// The column order: target names.
    pub targets: Vec<String>,
    /// One row per operation, sorted by name.
    pub operations: Vec<OperationRow>,
    /// One row per case, sorted by trial name.
    pub cases: Vec<CaseRow>,
    /// Per target (same order as `targets`): every outcome on it.
    pub per_target: Vec<Cell>,
    /// Every outcome of the run.
    pub overall: Cell,
    /// With `--reference`: per target (same order as `targets`), the steps whose answers were
    /// identical in shape to the recording. Absent without `--reference`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parity: Option<Vec<ParityCell>>,
}

/// One operation's row.
#[derive(Debug, Clone, Serialize)]
pub struct OperationRow {
    /// `<service>/<Operation>`.
    pub operation: String,
    /// One cell per target.
    pub cells: Vec<Cell>,
    /// All targets together.
    pub all: Cell,
}

/// One case's row.
#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    /// The trial name.
    pub id: String,
    /// `<service>/<Operation>`.
    pub operation: String,
    /// Where the expectation comes from.
    pub provenance: Provenance,
    /// One status per target; `null` when the case did not run against it.
    pub cells: Vec<Option<Status>>,
}

/// The outcomes in one cell of the matrix: their [`Counts`], from which the score follows.
/// report.json writes `counts`, then `passed`, `judged` and `score` (derived, for readers of
/// the file).
#[derive(Debug, Clone, Copy, Default)]
pub struct Cell {
    /// The outcomes by status.
    pub counts: Counts,
}

impl Serialize for Cell {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut st = s.serialize_struct("Cell", 4)?;
        st.serialize_field("counts", &self.counts)?;
        st.serialize_field("passed", &self.passed())?;
        st.serialize_field("judged", &self.judged())?;
        st.serialize_field("score", &self.score())?;
        st.end()
    }
}

impl Cell {
    fn add(&mut self, s: Status) {
        self.counts.add(s);
    }

    fn merge(&mut self, other: &Cell) {
        self.counts.merge(&other.counts);
    }

    /// Passed outcomes.
    pub fn passed(&self) -> usize {
        self.counts.pass
    }

    /// Conformance verdicts: passed, failed, ambiguities and known deviations.
    pub fn judged(&self) -> usize {
        self.counts.judged()
    }

    /// `passed / judged` in percent, rounded down to 0.1; `None` when nothing was judged.
    pub fn score(&self) -> Option<f64> {
        score(self.passed(), self.judged())
    }

    /// `9/10 (90%)`, or `—` when nothing was judged.
    pub fn text(&self) -> String {
        match self.score() {
            Some(s) => format!("{}/{} ({})", self.passed(), self.judged(), percent(s)),
            None => "—".to_string(),
        }
    }
}

/// `passed / judged` in percent, rounded down to 0.1 so that 100% means every case.
pub(super) fn score(passed: usize, judged: usize) -> Option<f64> {
    if judged == 0 {
        return None;
    }
    let tenths = (passed as u128 * 1000) / judged as u128;
    Some(tenths as f64 / 10.0)
}

/// `90%` or `92.3%`.
pub(super) fn percent(score: f64) -> String {
    if score.fract() == 0.0 {
        format!("{score:.0}%")
    } else {
        format!("{score:.1}%")
    }
}

/// Parity of one target with the recording.
#[derive(Debug, Clone, Serialize)]
pub struct ParityCell {
    /// The target's name.
    pub target: String,
    /// Steps compared: per compared case, the recorded or the actual exchanges, whichever are
    /// more; every repetition counts.
    pub steps: usize,
    /// Of those, steps whose answers are identical in shape to the recording.
    pub identical: usize,
    /// `identical / steps` in percent, rounded down to 0.1; `null` when nothing was compared.
    pub percent: Option<f64>,
}

impl ParityCell {
    /// `97.5% (39/40 steps)`, or `—` when nothing was compared.
    pub fn text(&self) -> String {
        match self.percent {
            Some(p) => format!("{} ({}/{} steps)", percent(p), self.identical, self.steps),
            None => "—".to_string(),
        }
    }
}

/// Every target's parity together (the matrix's *all targets* column).
pub fn overall(cells: &[ParityCell]) -> ParityCell {
    let steps = cells.iter().map(|c| c.steps).sum();
    let identical = cells.iter().map(|c| c.identical).sum();
    ParityCell {
        target: String::new(),
        steps,
        identical,
        percent: score(identical, steps),
    }
}

/// The matrix, built one outcome at a time. Case rows are keyed by case, so the repetitions of
/// `--repeat` share one row: its cell shows the worst status any repetition had.
#[derive(Debug, Default)]
pub(crate) struct MatrixBuilder {
    /// Cells are by target number (the collector's numbering).
    operations: BTreeMap<String, Vec<Cell>>,
    cases: BTreeMap<String, (String, Provenance, Vec<Option<Status>>)>,
}

impl MatrixBuilder {
    /// Adds one outcome of `case` (a case id, without any repetition number) on the target
    /// numbered `t`.
    pub(crate) fn add(
        &mut self,
        t: usize,
        operation: &str,
        case: &str,
        provenance: Provenance,
        status: Status,
    ) {
        let cells = match self.operations.get_mut(operation) {
            Some(c) => c,
            None => self.operations.entry(operation.to_string()).or_default(),
        };
        if cells.len() <= t {
            cells.resize(t + 1, Cell::default());
        }
        cells[t].add(status);
        let row = match self.cases.get_mut(case) {
            Some(r) => r,
            None => self
                .cases
                .entry(case.to_string())
                .or_insert_with(|| (operation.to_string(), provenance, Vec::new())),
        };
        if row.2.len() <= t {
            row.2.resize(t + 1, None);
        }
        let cell = &mut row.2[t];
        if cell.is_none_or(|old| severity(status) > severity(old)) {
            *cell = Some(status);
        }
    }

    /// The matrix with `columns` as its targets, in that order; `numbered` names the targets by
    /// the numbers given to [`MatrixBuilder::add`].
    pub(crate) fn finish(self, columns: &[String], numbered: &[String]) -> Matrix {
        let from: Vec<Option<usize>> = columns
            .iter()
            .map(|c| numbered.iter().position(|t| t == c))
            .collect();
        let pick = |cells: &[Cell]| -> Vec<Cell> {
            from.iter()
                .map(|i| i.and_then(|i| cells.get(i).copied()).unwrap_or_default())
                .collect()
        };
        let mut per_target = vec![Cell::default(); columns.len()];
        let mut overall = Cell::default();
        let operations: Vec<OperationRow> = self
            .operations
            .into_iter()
            .map(|(operation, cells)| {
                let cells = pick(&cells);
                let mut all = Cell::default();
                for (c, cell) in cells.iter().enumerate() {
                    all.merge(cell);
                    per_target[c].merge(cell);
                    overall.merge(cell);
                }
                OperationRow {
                    operation,
                    cells,
                    all,
                }
            })
            .collect();
        let cases = self
            .cases
            .into_iter()
            .map(|(id, (operation, provenance, cells))| CaseRow {
                id,
                operation,
                provenance,
                cells: from
                    .iter()
                    .map(|i| i.and_then(|i| cells.get(i).copied().flatten()))
                    .collect(),
            })
            .collect();
        Matrix {
            targets: columns.to_vec(),
            operations,
            cases,
            per_target,
            overall,
            parity: None,
        }
    }
}

/// How bad a status is, for the one cell that stands for several repetitions.
fn severity(s: Status) -> u8 {
    match s {
        Status::Pass => 0,
        Status::Skipped => 1,
        Status::Blocked => 1,
        Status::Known => 2,
        Status::OtherReading => 2,
        Status::Inconclusive => 3,
        Status::Error => 4,
        Status::Ambiguity => 5,
        Status::Fail => 6,
    }
}

/// Which documented response fields the passing cases compared on one target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetCoverage {
    /// The target's name.
    pub target: String,
    /// Documented fields over every operation below.
    pub documented: usize,
    /// Of those, how many were compared.
    pub compared: usize,
    /// `compared / documented` in percent, rounded down to 0.1.
    pub percent: Option<f64>,
    /// One entry per operation that has cases on this target and a success-response schema.
    pub operations: Vec<OperationCoverage>,
}

/// Field coverage of one operation on one target.
#[derive(Debug, Clone, Serialize)]
pub struct OperationCoverage {
    /// `<service>/<Operation>`.
    pub operation: String,
    /// How many fields the success-response schema declares.
    pub documented: usize,
    /// Documented fields seen in a passing case's 2xx answer, as pointers (`*` for array items).
    pub compared: Vec<String>,
    /// Documented fields no passing case's answer contained.
    pub not_compared: Vec<String>,
}

/// Field coverage, built one outcome at a time. Once every documented field of an operation
/// has been seen on a target, its answers are no longer parsed.
#[derive(Debug)]
pub(crate) struct CoverageBuilder {
    documented: BTreeMap<String, Vec<String>>,
    /// Per target, per operation with cases on it: the documented fields seen so far.
    seen: BTreeMap<String, BTreeMap<String, BTreeSet<String>>>,
}

impl CoverageBuilder {
    /// A builder for these documented fields (by `<service>/<Operation>`).
    pub(crate) fn new(documented: BTreeMap<String, Vec<String>>) -> CoverageBuilder {
        CoverageBuilder {
            documented,
            seen: BTreeMap::new(),
        }
    }

    /// Adds one outcome: a passing one contributes the fields of its 2xx JSON answers.
    pub(crate) fn add(&mut self, o: &OutcomeReport) {
        let ops = match self.seen.get_mut(&o.target) {
            Some(m) => m,
            None => self.seen.entry(o.target.clone()).or_default(),
        };
        let fields = match ops.get_mut(&o.operation) {
            Some(f) => f,
            None => ops.entry(o.operation.clone()).or_default(),
        };
        let Some(doc) = self.documented.get(&o.operation) else {
            return;
        };
        if o.status != Status::Pass || fields.len() >= doc.len() {
            return;
        }
        for x in &o.exchanges {
            let Some(r) = &x.response else { continue };
            if !(200..300).contains(&r.status) {
                continue;
            }
            if let Ok(v) = serde_json::from_str::<Value>(&r.body) {
                let mut paths = BTreeSet::new();
                value_paths(&v, String::new(), &mut paths);
                fields.extend(doc.iter().filter(|p| paths.contains(*p)).cloned());
            }
        }
    }

    /// Coverage for each of `targets`, in that order.
    pub(crate) fn finish(self, targets: &[String]) -> Vec<TargetCoverage> {
        let empty = BTreeMap::new();
        targets
            .iter()
            .map(|t| {
                let ops = self.seen.get(t).unwrap_or(&empty);
                let operations: Vec<OperationCoverage> = ops
                    .iter()
                    .filter_map(|(op, fields)| {
                        let doc = self.documented.get(op)?;
                        let (compared, not_compared): (Vec<String>, Vec<String>) =
                            doc.iter().cloned().partition(|p| fields.contains(p));
                        Some(OperationCoverage {
                            operation: op.clone(),
                            documented: doc.len(),
                            compared,
                            not_compared,
                        })
                    })
                    .collect();
                let documented: usize = operations.iter().map(|o| o.documented).sum();
                let compared: usize = operations.iter().map(|o| o.compared.len()).sum();
                TargetCoverage {
                    target: t.clone(),
                    documented,
                    compared,
                    percent: score(compared, documented),
                    operations,
                }
            })
            .collect()
    }
}

/// Every object member path in a JSON value, array elements as `*`.
fn value_paths(v: &Value, prefix: String, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(m) => {
            for (k, sub) in m {
                let p = format!("{prefix}/{}", escape(k));
                out.insert(p.clone());
                value_paths(sub, p, out);
            }
        }
        Value::Array(items) => {
            for sub in items {
                value_paths(sub, format!("{prefix}/*"), out);
            }
        }
        _ => {}
    }
}

/// The object member paths a JSON Schema declares (`properties`, through `items`, local `$ref`
/// and `allOf`/`anyOf`/`oneOf`), array elements as `*`, sorted.
pub fn schema_fields(schema: &Value) -> Vec<String> {
    let mut out = BTreeSet::new();
    walk_schema(schema, schema, String::new(), &mut out, 0);
    out.into_iter().collect()
}

fn walk_schema(s: &Value, root: &Value, prefix: String, out: &mut BTreeSet<String>, depth: u32) {
    if depth > 32 {
        return;
    }
    if let Some(r) = s.get("$ref").and_then(Value::as_str)
        && let Some(target) = r.strip_prefix('#').and_then(|p| root.pointer(p))
    {
        walk_schema(target, root, prefix.clone(), out, depth + 1);
    }
    for kw in ["allOf", "anyOf", "oneOf"] {
        if let Some(list) = s.get(kw).and_then(Value::as_array) {
            for sub in list {
                walk_schema(sub, root, prefix.clone(), out, depth + 1);
            }
        }
    }
    if let Some(props) = s.get("properties").and_then(Value::as_object) {
        for (k, sub) in props {
            let p = format!("{prefix}/{}", escape(k));
            out.insert(p.clone());
            walk_schema(sub, root, p, out, depth + 1);
        }
    }
    if let Some(items) = s.get("items")
        && items.is_object()
    {
        walk_schema(items, root, format!("{prefix}/*"), out, depth + 1);
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// The documented fields of every operation's success response, by `<service>/<Operation>`.
pub fn documented_fields(suite: &crate::suite::Suite) -> BTreeMap<String, Vec<String>> {
    suite
        .operations
        .iter()
        .filter_map(|(id, op)| {
            let schema = op.responses.get(&op.request.success)?.schema.as_ref()?;
            Some((id.clone(), schema_fields(&schema.source)))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn schema_fields_follow_items_refs_and_combinators() {
        let s = json!({
            "type": "object",
            "properties": {
                "RequestId": {"type": "string"},
                "Keys": {"type": "object", "properties": {
                    "Key": {"type": "array", "items": {"$ref": "#/$defs/key"}}}},
                "a/b": {"allOf": [{"properties": {"x": {}}}]}
            },
            "$defs": {"key": {"properties": {"KeyId": {}, "KeyArn": {}}}}
        });
        assert_eq!(
            schema_fields(&s),
            vec![
                "/Keys",
                "/Keys/Key",
                "/Keys/Key/*/KeyArn",
                "/Keys/Key/*/KeyId",
                "/RequestId",
                "/a~1b",
                "/a~1b/x",
            ]
        );
    }

    #[test]
    fn scores_round_down_so_100_means_all() {
        assert_eq!(score(1999, 2000), Some(99.9));
        assert_eq!(score(2, 3), Some(66.6));
        assert_eq!(score(0, 0), None);
        assert_eq!(percent(100.0), "100%");
        assert_eq!(percent(66.6), "66.6%");
    }
}
