//! What an outcome means once the baseline has been applied ([`Status`]), and how many outcomes
//! have each ([`Counts`]): the bottom of `report/`.

use serde::{Deserialize, Serialize};

/// What an outcome means once the baseline has been applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Every check passed.
    Pass,
    /// A documented (or observed) expectation failed, and the baseline does not list it.
    Fail,
    /// An `inferred` case failed: the page is ambiguous and our reading of it did not hold.
    Ambiguity,
    /// It failed, but every finding is a known deviation listed in the baseline.
    Known,
    /// The exchange itself broke (transport, auth): not a conformance verdict.
    Error,
    /// Not run.
    Skipped,
    /// Still throttled after every retry.
    Inconclusive,
    /// A set-up step deviated: the operation under test was never reached. Not judged and not a
    /// gate failure by itself: the set-up operation's own cases report the deviation.
    Blocked,
    /// A case that tests one reading of an ambiguous page failed: the target follows another
    /// reading. Not a conformance failure unless a pin (`--strict-readings`, a baseline
    /// `reading:` entry) expects the reading the case tests; then the outcome is [`Status::Fail`].
    #[serde(rename = "other-reading")]
    OtherReading,
}

impl Status {
    /// The word used in reports and in `report.json`.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Ambiguity => "ambiguity",
            Status::Known => "known",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Inconclusive => "inconclusive",
            Status::Blocked => "blocked",
            Status::OtherReading => "other-reading",
        }
    }

    /// A short label for people.
    pub fn label(self) -> &'static str {
        match self {
            Status::Pass => "passed",
            Status::Fail => "failed",
            Status::Ambiguity => "documentation ambiguity",
            Status::Known => "known deviation",
            Status::Error => "error",
            Status::Skipped => "skipped",
            Status::Inconclusive => "inconclusive",
            Status::Blocked => "blocked by a set-up step",
            Status::OtherReading => "follows another reading",
        }
    }

    /// True when an outcome with this status fails the gate: a failure or an error, and a
    /// documentation ambiguity under `--strict-readings`.
    pub fn fails_gate(self, strict_readings: bool) -> bool {
        match self {
            Status::Fail | Status::Error => true,
            Status::Ambiguity => strict_readings,
            _ => false,
        }
    }

    /// True when the outcome is a conformance verdict (it counts in scores).
    pub fn is_judged(self) -> bool {
        matches!(
            self,
            Status::Pass | Status::Fail | Status::Ambiguity | Status::Known
        )
    }
}

/// How many outcomes (case × target × repetition) have each [`Status`]: the one count summary
/// of a run. The report's `counts`, each matrix cell, the console's summary line, the headers of
/// report.md and report.html, and junit.xml's attributes are all read from it; each field
/// counts exactly one status, and `total` is their sum. The groupings the formats show are
/// methods: [`Counts::judged`] (the matrix's denominator), [`Counts::failed`] (the console's
/// "failed"), [`Counts::not_run`] (report.md's "not run"), [`Counts::junit_failures`] and
/// [`Counts::junit_skipped`].
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every outcome: the sum of the fields below.
    pub total: usize,
    /// [`Status::Pass`]: every check passed.
    pub pass: usize,
    /// [`Status::Fail`]: a conformance failure the baseline does not accept (a documented or
    /// observed case, or a reading the run expects).
    pub fail: usize,
    /// [`Status::Ambiguity`]: a failed `inferred` case the baseline does not accept.
    pub ambiguity: usize,
    /// [`Status::Known`]: a failure whose every finding a baseline entry accepts.
    pub known: usize,
    /// [`Status::Error`]: the exchange broke (transport, auth, internal); no verdict.
    pub error: usize,
    /// [`Status::Skipped`]: not run (a precondition, a mutating case against a real target).
    pub skipped: usize,
    /// [`Status::Inconclusive`]: still throttled after every retry.
    pub inconclusive: usize,
    /// [`Status::Blocked`]: a set-up step deviated before the operation under test (written only
    /// when above 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub blocked: usize,
    /// [`Status::OtherReading`]: a failed case of a reading the target does not follow (not a
    /// conformance failure).
    pub other_reading: usize,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Counts {
    /// Adds one outcome of status `s`.
    pub fn add(&mut self, s: Status) {
        self.total += 1;
        *self.slot(s) += 1;
    }

    /// The count of one status.
    pub fn get(&self, s: Status) -> usize {
        match s {
            Status::Pass => self.pass,
            Status::Fail => self.fail,
            Status::Ambiguity => self.ambiguity,
            Status::Known => self.known,
            Status::Error => self.error,
            Status::Skipped => self.skipped,
            Status::Inconclusive => self.inconclusive,
            Status::Blocked => self.blocked,
            Status::OtherReading => self.other_reading,
        }
    }

    /// Adds every count of `other`.
    pub fn merge(&mut self, other: &Counts) {
        self.total += other.total;
        self.pass += other.pass;
        self.fail += other.fail;
        self.ambiguity += other.ambiguity;
        self.known += other.known;
        self.error += other.error;
        self.skipped += other.skipped;
        self.inconclusive += other.inconclusive;
        self.blocked += other.blocked;
        self.other_reading += other.other_reading;
    }

    fn slot(&mut self, s: Status) -> &mut usize {
        match s {
            Status::Pass => &mut self.pass,
            Status::Fail => &mut self.fail,
            Status::Ambiguity => &mut self.ambiguity,
            Status::Known => &mut self.known,
            Status::Error => &mut self.error,
            Status::Skipped => &mut self.skipped,
            Status::Inconclusive => &mut self.inconclusive,
            Status::Blocked => &mut self.blocked,
            Status::OtherReading => &mut self.other_reading,
        }
    }

    /// Conformance verdicts: passed, failed, ambiguities and known deviations.
    pub fn judged(&self) -> usize {
        self.pass + self.fail + self.ambiguity + self.known
    }

    /// Failed cases the baseline does not accept, ambiguities included: the console's "failed".
    pub fn failed(&self) -> usize {
        self.fail + self.ambiguity
    }

    /// Skipped and inconclusive outcomes: report.md's "not run".
    pub fn not_run(&self) -> usize {
        self.skipped + self.inconclusive
    }

    /// junit.xml's `failures`: conformance failures, and ambiguities under `--strict-readings`.
    pub fn junit_failures(&self, strict_readings: bool) -> usize {
        self.fail + if strict_readings { self.ambiguity } else { 0 }
    }

    /// junit.xml's `skipped`: every outcome that is neither a pass, a failure nor an error
    /// there (skipped, inconclusive, blocked, other reading, and ambiguities without
    /// `--strict-readings`); known deviations pass.
    pub fn junit_skipped(&self, strict_readings: bool) -> usize {
        self.not_run()
            + self.blocked
            + self.other_reading
            + if strict_readings { 0 } else { self.ambiguity }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Status; 9] = [
        Status::Pass,
        Status::Fail,
        Status::Ambiguity,
        Status::Known,
        Status::Error,
        Status::Skipped,
        Status::Inconclusive,
        Status::Blocked,
        Status::OtherReading,
    ];

    /// Two outcomes of status `i` for each `i`: every field is told apart.
    fn sample() -> Counts {
        let mut c = Counts::default();
        for (i, s) in ALL.iter().enumerate() {
            for _ in 0..=i {
                c.add(*s);
            }
        }
        c
    }

    #[test]
    fn each_field_counts_one_status_and_total_is_their_sum() {
        let c = sample();
        for (i, s) in ALL.iter().enumerate() {
            assert_eq!(c.get(*s), i + 1, "{s:?}");
        }
        assert_eq!(c.total, ALL.iter().map(|s| c.get(*s)).sum::<usize>());
        let mut twice = c;
        twice.merge(&c);
        assert!(ALL.iter().all(|s| twice.get(*s) == 2 * c.get(*s)));
        assert_eq!(twice.total, 2 * c.total);
    }

    #[test]
    fn the_groupings_partition_what_each_format_shows() {
        let c = sample();
        assert_eq!(c.judged(), 1 + 2 + 3 + 4);
        assert_eq!(c.failed(), 2 + 3);
        assert_eq!(c.not_run(), 6 + 7);
        // junit.xml: every outcome is exactly one of pass (pass, known), failure, error, skipped.
        for strict in [false, true] {
            let passing = c.pass + c.known;
            assert_eq!(
                passing + c.junit_failures(strict) + c.error + c.junit_skipped(strict),
                c.total,
                "strict {strict}"
            );
        }
        assert_eq!(c.junit_failures(true), 2 + 3);
        assert_eq!(c.junit_failures(false), 2);
    }
}
