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

/// How many outcomes have each status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    /// Every outcome.
    pub total: usize,
    /// Passed.
    pub pass: usize,
    /// New conformance failures.
    pub fail: usize,
    /// New failures of inferred cases.
    pub ambiguity: usize,
    /// Failures whose every finding is baselined.
    pub known: usize,
    /// Transport or auth errors.
    pub error: usize,
    /// Not run.
    pub skipped: usize,
    /// Throttled.
    pub inconclusive: usize,
    /// Blocked by a deviating set-up step (written only when above 0).
    #[serde(skip_serializing_if = "is_zero")]
    pub blocked: usize,
    /// Failed cases of a reading the target does not follow (not conformance failures).
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
}
