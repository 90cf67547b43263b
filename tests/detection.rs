//! Every check is proven: for each deviation mode of the emulator (one documented rule broken
//! on purpose), the shipped suite (`specs/`, `cases/`) run against an in-process emulator with
//! that one deviation has at least one case that passes on the faithful emulator and fails with
//! the finding kinds the deviation should produce. The faithful emulator fails no case, and two
//! runs against it give the same verdicts and findings.
//!
//! The same runs write `docs/detection-matrix.md`:
//!
//! ```text
//! SPECGATE_BLESS=1 cargo test --test detection
//! ```
//!
//! Without `SPECGATE_BLESS`, `detection_matrix_is_current` fails when the file differs from what
//! the runs give (a case or a deviation was added, or a check changed what it reports).

#[path = "support/golden.rs"]
mod golden;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use specgate::case::Case;
use specgate::emulator::{self, Config, Deviation, deviations};
use specgate::exec::{CaseOutcome, Client, ClientOptions, Redactor, RunContext, Verdict, run_case};
use specgate::finding::kinds;
use specgate::suite::Suite;
use specgate::target::{Target, embedded_target, vars_of};
use tokio::sync::Semaphore;

/// The per-request timeout of every run here. It is generous so that a loaded machine (two
/// cores, a debug build, dozens of emulators at once) never times a faithful answer out, which
/// would make the runs differ; `slow-response` holds its answers back longer still.
const CLIENT_TIMEOUT: Duration = Duration::from_secs(4);
/// How long `slow-response` holds a ListKeyVersions answer back.
const SLOW_DELAY: Duration = Duration::from_secs(5);
/// Cases in flight at once across all runs (but `slow-response`, whose cases mostly wait).
const IN_FLIGHT: usize = 32;
/// The generated document.
const MATRIX: &str = "docs/detection-matrix.md";
/// The command that regenerates it.
const REGENERATE: &str = "SPECGATE_BLESS=1 cargo test --test detection";

/// What the shipped suite must report for a deviation.
enum Expect {
    /// At least one case catches it, and between them the catching cases report every kind
    /// listed.
    Caught(&'static [&'static str]),
    /// TEMPORARY: no shipped case catches it yet. Listed so that the failure is explicit
    /// (`nothing_is_left_uncaught` fails while any entry is here); the note says which case
    /// would catch it. Remove the entry once the case is in `cases/`.
    #[allow(dead_code)]
    NotYetCaught(&'static str),
}

use Expect::Caught;

/// Every deviation of the registry, with the finding kinds it should produce. A registry entry
/// missing here fails `every_deviation_is_caught`: a new deviation needs a catching case.
const TABLE: &[(&str, Expect)] = &[
    // pagination
    (
        "list-keys-page-size-above-max",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "list-keys-page-size-zero",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "page-number-zero",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "page-oversize",
        Caught(&[kinds::PAGE_OVERSIZE.as_str(), kinds::COUNT.as_str()]),
    ),
    (
        "total-count-off-by-one",
        Caught(&[kinds::PAGE_COUNT.as_str()]),
    ),
    (
        "total-count-too-low",
        Caught(&[kinds::PAGE_TOTAL.as_str(), kinds::PAGE_COUNT.as_str()]),
    ),
    (
        "short-pages",
        Caught(&[kinds::PAGE_SHORT.as_str(), kinds::PAGE_COUNT.as_str()]),
    ),
    ("unstable-order", Caught(&[kinds::PAGE_ORDER.as_str()])),
    (
        "overlapping-pages",
        Caught(&[kinds::PAGE_DUPLICATE.as_str()]),
    ),
    (
        "page-number-echo-wrong",
        Caught(&[kinds::PAGE_ECHO.as_str(), kinds::VALUE.as_str()]),
    ),
    (
        "page-past-end-not-empty",
        Caught(&[kinds::PAGE_PAST_END.as_str(), kinds::COUNT.as_str()]),
    ),
    // types and shapes
    ("total-count-string", Caught(&[kinds::SCHEMA.as_str()])),
    ("keys-bare-array", Caught(&[kinds::SCHEMA.as_str()])),
    ("missing-request-id", Caught(&[kinds::SCHEMA.as_str()])),
    ("kms-wrapper", Caught(&[kinds::SCHEMA.as_str()])),
    ("null-empty-list", Caught(&[kinds::SCHEMA.as_str()])),
    ("huawei-total-string", Caught(&[kinds::SCHEMA.as_str()])),
    // values and patterns
    (
        "huawei-key-id-format",
        Caught(&[kinds::SCHEMA.as_str(), kinds::VALUE.as_str()]),
    ),
    (
        "alias-name-without-prefix",
        Caught(&[kinds::SCHEMA.as_str(), kinds::PATTERN.as_str()]),
    ),
    ("alias-arn-without-name", Caught(&[kinds::VALUE.as_str()])),
    (
        "creation-date-not-utc",
        Caught(&[kinds::SCHEMA.as_str(), kinds::PATTERN.as_str()]),
    ),
    (
        "huawei-alias-urn-missing",
        Caught(&[kinds::SCHEMA.as_str(), kinds::MISSING.as_str()]),
    ),
    (
        "huawei-list-aliases-array",
        Caught(&[kinds::MISSING.as_str()]),
    ),
    (
        "huawei-create-time-not-rfc3339",
        Caught(&[kinds::SCHEMA.as_str(), kinds::PATTERN.as_str()]),
    ),
    ("key-arn-of-another-key", Caught(&[kinds::VALUE.as_str()])),
    ("versions-of-another-key", Caught(&[kinds::VALUE.as_str()])),
    // errors
    ("error-code-misspelt", Caught(&[kinds::ERROR_CODE.as_str()])),
    (
        "server-error-for-bad-request",
        Caught(&[kinds::STATUS.as_str()]),
    ),
    (
        "alibaba-error-shape",
        Caught(&[kinds::ERROR_SHAPE.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-error-flat",
        Caught(&[kinds::ERROR_SHAPE.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "missing-key-id-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "unknown-key-ok",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    // behaviour
    (
        "filters-ignored",
        Caught(&[kinds::VALUE.as_str(), kinds::PATTERN.as_str()]),
    ),
    (
        "alibaba-duplicate-alias-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "reserved-alias-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "unknown-alias-delete-ok",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    ("huawei-create-alias-200", Caught(&[kinds::STATUS.as_str()])),
    ("huawei-delete-alias-200", Caught(&[kinds::STATUS.as_str()])),
    (
        "huawei-bad-key-id-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-default-suffix-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-long-alias-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-duplicate-alias-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-pending-deletion-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-default-key-update-accepted",
        Caught(&[kinds::STATUS.as_str(), kinds::ERROR_CODE.as_str()]),
    ),
    (
        "huawei-update-echoes-old-alias",
        Caught(&[kinds::VALUE.as_str()]),
    ),
    // the XML face
    (
        "xml-json-content-type",
        Caught(&[kinds::CONTENT_TYPE.as_str()]),
    ),
    (
        "xml-key-wrapper-dropped",
        Caught(&[kinds::SCHEMA.as_str(), kinds::DIFF.as_str()]),
    ),
    ("xml-answered-json", Caught(&[kinds::CONTENT_TYPE.as_str()])),
    // transport
    (
        "json-as-text-plain",
        Caught(&[kinds::CONTENT_TYPE.as_str()]),
    ),
    ("non-json-body", Caught(&[kinds::NOT_JSON.as_str()])),
    ("slow-response", Caught(&[kinds::TIMEOUT.as_str()])),
];

/// Every finding kind, with where it is proven when no deviation here produces it (the
/// embedded target is plain HTTP and unsigned, so TLS, auth and raw-socket failures are
/// exercised by their own tests).
const ALL_KINDS: &[(&str, &str)] = &[
    (kinds::STATUS.as_str(), ""),
    (kinds::SCHEMA.as_str(), ""),
    (kinds::PATTERN.as_str(), ""),
    (kinds::VALUE.as_str(), ""),
    (kinds::COUNT.as_str(), ""),
    (kinds::MISSING.as_str(), ""),
    (kinds::ERROR_CODE.as_str(), ""),
    (kinds::ERROR_SHAPE.as_str(), ""),
    (kinds::DIFF.as_str(), ""),
    (kinds::CONTENT_TYPE.as_str(), ""),
    (kinds::CAPTURE.as_str(), ""),
    (kinds::PAGE_OVERSIZE.as_str(), ""),
    (kinds::PAGE_ECHO.as_str(), ""),
    (kinds::PAGE_TOTAL.as_str(), ""),
    (kinds::PAGE_DUPLICATE.as_str(), ""),
    (kinds::PAGE_COUNT.as_str(), ""),
    (kinds::PAGE_ORDER.as_str(), ""),
    (kinds::PAGE_PAST_END.as_str(), ""),
    (kinds::PAGE_SHORT.as_str(), ""),
    (kinds::PAGE_ITEMS.as_str(), ""),
    (
        kinds::PAGE_MARKER.as_str(),
        "tests/it/marker_pagination.rs (AWS marker pages: Truncated without NextMarker, a marker handed back forever)",
    ),
    (
        kinds::CONNECT.as_str(),
        "tests/it/transport.rs (a closed port)",
    ),
    (kinds::TIMEOUT.as_str(), ""),
    (
        kinds::TLS.as_str(),
        "not exercised: the test targets are plain HTTP",
    ),
    (
        kinds::RESET.as_str(),
        "tests/it/transport.rs (a reset connection)",
    ),
    (
        kinds::TOO_LARGE.as_str(),
        "tests/it/transport.rs (a 50 MiB body)",
    ),
    (kinds::NOT_JSON.as_str(), ""),
    (kinds::NOT_XML.as_str(), ""),
    (
        kinds::REDIRECT.as_str(),
        "tests/it/transport.rs (a redirect to another host)",
    ),
    (
        kinds::PROTOCOL.as_str(),
        "tests/it/transport.rs (garbage instead of HTTP)",
    ),
    (
        kinds::OTHER.as_str(),
        "not exercised: an exchange that broke in no way the kinds above name",
    ),
    (
        kinds::HARNESS.as_str(),
        "tests/it/robustness.rs (a case's walk with page size 0)",
    ),
    (kinds::AUTH.as_str(), "tests/it/signed.rs (a wrong secret)"),
    (
        kinds::PARITY.as_str(),
        "tests/it/parity.rs (every deviation, against a recording of the emulator)",
    ),
];

// --- running the suite ------------------------------------------------------------------------

/// One case's result, reduced to what the assertions and the matrix compare.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Result1 {
    verdict: Verdict,
    /// `(kind, step, pointer)` of every finding, in order, with the run prefix put back as
    /// `${run_prefix}` so that two runs compare equal.
    findings: Vec<(String, String, String)>,
    /// The first finding's message, for failure output.
    first_message: Option<String>,
    /// For a blocked case: the set-up operation whose deviation blocked it.
    blocked_by: Option<String>,
    /// The reading the case tests, if any: its failure alone does not fail the gate.
    reading: Option<String>,
}

impl Result1 {
    fn failed(&self) -> bool {
        matches!(self.verdict, Verdict::Fail | Verdict::Error)
    }

    fn kinds(&self) -> BTreeSet<&str> {
        self.findings.iter().map(|(k, _, _)| k.as_str()).collect()
    }
}

/// A run: case id → result.
type Run = BTreeMap<String, Result1>;

fn reduce(o: &CaseOutcome, run_prefix: &str) -> Result1 {
    let unprefix = |s: &str| s.replace(run_prefix, "${run_prefix}");
    Result1 {
        verdict: o.verdict,
        findings: o
            .findings
            .iter()
            .map(|f| (f.kind.to_string(), unprefix(&f.step), unprefix(&f.pointer)))
            .collect(),
        first_message: o.findings.first().map(|f| unprefix(&f.message)),
        blocked_by: o.blocked_by.clone(),
        reading: o.reading.clone(),
    }
}

fn load_suite() -> Suite {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    match Suite::load(&root.join("specs"), &[root.join("cases")]) {
        Ok(s) => s,
        Err(diags) => panic!(
            "the shipped suite does not load:\n{}",
            specgate::diag::render_all(&diags)
        ),
    }
}

fn target_for(handle: &emulator::EmulatorHandle) -> Target {
    let id = emulator::identity();
    embedded_target(
        &handle.base_url(),
        vars_of(&[("region", id.region), ("account", id.account)]),
        vars_of(&[
            ("project_id", id.project_id),
            ("huawei_region", id.huawei_region),
            ("domain_id", id.domain_id),
        ]),
    )
}

/// False for a case that tests a reading of its doc note other than the one the emulator
/// follows (the note's `emulator:`): such a case is expected to fail against the emulator, which
/// is not a defect of either, so these runs leave it out.
fn follows_emulator_reading(suite: &Suite, case: &Case) -> bool {
    let (Some(note_id), Some(reading)) = (&case.doc_note, &case.reading) else {
        return true;
    };
    suite
        .operations
        .get(&case.operation)
        .and_then(|op| op.doc_notes.iter().find(|d| &d.id == note_id))
        .and_then(|note| note.emulator.as_deref())
        .is_none_or(|followed| followed == reading)
}

/// Everything the runs share.
struct Harness {
    suite: Arc<Suite>,
    client: Client,
    permits: Arc<Semaphore>,
}

impl Harness {
    fn new() -> Self {
        Self {
            suite: Arc::new(load_suite()),
            client: Client::new(ClientOptions {
                timeout: CLIENT_TIMEOUT,
                body_cap: 10 * 1024 * 1024,
                insecure: false,
            })
            .expect("client"),
            permits: Arc::new(Semaphore::new(IN_FLIGHT)),
        }
    }

    /// Runs every case of the suite against `target`: the read-only cases concurrently, the
    /// mutating ones one after the other in name order (alongside the read-only ones), so that
    /// cases that change the state never race each other and every run is reproducible.
    async fn run(&self, target: Target, run_prefix: &str, permits: Arc<Semaphore>) -> Run {
        let target = Arc::new(target);
        let mut tasks = tokio::task::JoinSet::new();
        let (mutating, read_only): (Vec<Case>, Vec<Case>) = self
            .suite
            .cases()
            .into_iter()
            .filter(|c| follows_emulator_reading(&self.suite, c))
            .cloned()
            .partition(|c| c.mutating);
        let mut batches: Vec<Vec<Case>> = read_only.into_iter().map(|c| vec![c]).collect();
        batches.push(mutating);
        for batch in batches {
            let suite = self.suite.clone();
            let client = self.client.clone();
            let target = target.clone();
            let permits = permits.clone();
            let prefix = run_prefix.to_string();
            tasks.spawn(async move {
                let redactor = Redactor::default();
                let overrides = Default::default();
                let ctx = RunContext {
                    suite: &suite,
                    client: &client,
                    run_prefix: &prefix,
                    allow_mutations: false,
                    redactor: &redactor,
                    overrides: &overrides,
                    retry: specgate::exec::RetryPolicy::default(),
                    limiter: None,
                    fixtures: None,
                };
                let mut out = Vec::new();
                for case in batch {
                    let _permit = permits.acquire().await.expect("semaphore");
                    let outcome = run_case(&case, &target, &ctx).await;
                    out.push((outcome.id.to_string(), reduce(&outcome, &prefix)));
                }
                out
            });
        }
        let mut run = Run::new();
        while let Some(joined) = tasks.join_next().await {
            run.extend(joined.expect("a case task panicked"));
        }
        run
    }

    /// Starts an emulator with `deviations` and runs the suite against it once. The cases of a
    /// `slow-response` run mostly wait for the timeout, so they run outside the shared limit
    /// (all at once) and the whole run takes about one timeout.
    async fn run_with(&self, deviations: Vec<Deviation>, run_prefix: &str) -> Run {
        let waits = deviations.contains(&Deviation::SlowResponse);
        let handle = emulator::spawn(Config {
            deviations,
            slow_response_delay: SLOW_DELAY,
            ..Config::default()
        })
        .await
        .expect("emulator");
        let permits = if waits {
            Arc::new(Semaphore::new(Semaphore::MAX_PERMITS))
        } else {
            self.permits.clone()
        };
        let run = self.run(target_for(&handle), run_prefix, permits).await;
        drop(handle);
        run
    }
}

/// Everything the tests assert on, computed once per test binary.
struct Observations {
    /// The faithful emulator, first run.
    faithful: Run,
    /// The same emulator instance, second run.
    faithful_again: Run,
    /// One run per deviation, in registry order.
    deviating: Vec<(Deviation, Run)>,
    /// Wall time of all the runs.
    took: Duration,
}

fn observations() -> &'static Observations {
    static CELL: OnceLock<Observations> = OnceLock::new();
    CELL.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let started = Instant::now();
            let harness = Arc::new(Harness::new());
            // The faithful pair runs on one emulator, one run after the other.
            let faithful = {
                let harness = harness.clone();
                tokio::spawn(async move {
                    let handle = emulator::spawn(Config::default()).await.expect("emulator");
                    let permits = harness.permits.clone();
                    let first = harness
                        .run(target_for(&handle), "sg-0000f001", permits.clone())
                        .await;
                    let second = harness
                        .run(target_for(&handle), "sg-0000f002", permits)
                        .await;
                    (first, second)
                })
            };
            let mut runs = Vec::new();
            for (i, d) in deviations().iter().copied().enumerate() {
                let harness = harness.clone();
                let prefix = format!("sg-{:08x}", 0xd000 + i);
                runs.push((
                    d,
                    tokio::spawn(async move { harness.run_with(vec![d], &prefix).await }),
                ));
            }
            let (faithful, faithful_again) = faithful.await.expect("faithful runs");
            let mut deviating = Vec::new();
            for (d, task) in runs {
                deviating.push((d, task.await.expect("deviating run")));
            }
            Observations {
                faithful,
                faithful_again,
                deviating,
                took: started.elapsed(),
            }
        })
    })
}

/// The cases that catch a deviation: they pass on the faithful emulator and fail (or error)
/// with it.
fn catching<'a>(faithful: &Run, deviating: &'a Run) -> Vec<(&'a str, &'a Result1)> {
    deviating
        .iter()
        .filter(|(id, r)| {
            r.failed()
                && faithful
                    .get(*id)
                    .is_some_and(|f| f.verdict == Verdict::Pass)
        })
        .map(|(id, r)| (id.as_str(), r))
        .collect()
}

fn expectation(name: &str) -> Option<&'static Expect> {
    TABLE.iter().find(|(n, _)| *n == name).map(|(_, e)| e)
}

fn describe_failures(run: &Run) -> String {
    run.iter()
        .filter(|(_, r)| r.failed())
        .map(|(id, r)| {
            format!(
                "  {id}: {:?} {:?} ({})\n",
                r.verdict,
                r.kinds(),
                r.first_message.as_deref().unwrap_or("")
            )
        })
        .collect()
}

// --- the tests --------------------------------------------------------------------------------

#[test]
fn the_faithful_emulator_fails_no_case() {
    let obs = observations();
    assert!(!obs.faithful.is_empty(), "the suite has no case");
    let failures = describe_failures(&obs.faithful);
    assert!(
        failures.is_empty(),
        "the faithful emulator fails these shipped cases (a case, a check or the emulator is \
         wrong; none may fail here):\n{failures}"
    );
}

#[test]
fn two_runs_against_the_faithful_emulator_agree() {
    let obs = observations();
    let a = &obs.faithful;
    let b = &obs.faithful_again;
    assert_eq!(
        a.keys().collect::<Vec<_>>(),
        b.keys().collect::<Vec<_>>(),
        "the two runs ran different cases"
    );
    let differing: Vec<String> = a
        .iter()
        .filter(|(id, r)| {
            let other = &b[*id];
            r.verdict != other.verdict || r.findings != other.findings
        })
        .map(|(id, r)| {
            let other = &b[id];
            format!(
                "  {id}: {:?} {:?} vs {:?} {:?}",
                r.verdict, r.findings, other.verdict, other.findings
            )
        })
        .collect();
    assert!(
        differing.is_empty(),
        "two runs against the same faithful emulator differ:\n{}",
        differing.join("\n")
    );
}

#[test]
fn every_deviation_is_caught() {
    let obs = observations();
    let mut problems = Vec::new();
    for (name, _) in TABLE {
        if Deviation::from_name(name).is_none() {
            problems.push(format!("{name}: in the table but not in the registry"));
        }
    }
    for (d, run) in &obs.deviating {
        let name = d.name();
        let caught = catching(&obs.faithful, run);
        let seen: BTreeSet<&str> = caught.iter().flat_map(|(_, r)| r.kinds()).collect();
        match expectation(name) {
            None => problems.push(format!(
                "{name}: no row in TABLE (tests/detection.rs); add the finding kinds it should \
                 produce, and a case that catches it; caught now by {} case(s) with {seen:?}",
                caught.len()
            )),
            Some(Expect::NotYetCaught(note)) => {
                if !caught.is_empty() {
                    problems.push(format!(
                        "{name}: marked not yet caught ({note}) but {} case(s) catch it now \
                         with {seen:?}; replace the mark with the kinds",
                        caught.len()
                    ));
                }
            }
            Some(Expect::Caught(expected)) => {
                if caught.is_empty() {
                    problems.push(format!(
                        "{name}: NO shipped case catches it ({}); failures with it:\n{}",
                        d.rule(),
                        describe_failures(run)
                    ));
                    continue;
                }
                let missing: Vec<&&str> = expected.iter().filter(|k| !seen.contains(**k)).collect();
                if !missing.is_empty() {
                    problems.push(format!(
                        "{name}: the catching cases report {seen:?}, not {missing:?}"
                    ));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

/// A deviation that blocks cases in a set-up step is still caught by the set-up operation's own
/// cases: every operation that blocked a case has a case of its own that catches the deviation.
#[test]
fn a_blocking_set_up_operation_is_caught_by_its_own_cases() {
    let obs = observations();
    let mut blocking = 0;
    for (d, run) in &obs.deviating {
        let caught = catching(&obs.faithful, run);
        let ops: BTreeSet<&str> = run
            .values()
            .filter_map(|r| r.blocked_by.as_deref())
            .collect();
        for op in ops {
            blocking += 1;
            assert!(
                caught
                    .iter()
                    .any(|(id, _)| id.starts_with(&format!("{op}::"))),
                "`{}` blocks cases in set-up steps of {op}, but no case of {op} catches it",
                d.name()
            );
        }
    }
    assert!(
        blocking > 0,
        "no deviation blocks a case: the test proves nothing"
    );
}

/// A case that tests one reading of an ambiguous page fails as `other-reading`, which does not
/// fail the gate by default: a deviation must also be caught by a case without a `reading`.
#[test]
fn every_caught_deviation_fails_the_gate() {
    let obs = observations();
    let only_readings: Vec<String> = obs
        .deviating
        .iter()
        .filter(|(d, _)| matches!(expectation(d.name()), Some(Expect::Caught(_))))
        .filter_map(|(d, run)| {
            let caught = catching(&obs.faithful, run);
            let gating = caught.iter().any(|(_, r)| r.reading.is_none());
            (!caught.is_empty() && !gating).then(|| {
                let ids: Vec<&str> = caught.iter().map(|(id, _)| *id).collect();
                format!("  {}: caught only by reading cases {ids:?}", d.name())
            })
        })
        .collect();
    assert!(
        only_readings.is_empty(),
        "deviations that only cases of a reading catch (they are `other-reading`, not failures, \
         so the gate passes): add a case without `reading` that catches each:\n{}",
        only_readings.join("\n")
    );
}

#[test]
fn nothing_is_left_uncaught() {
    let uncaught: Vec<String> = TABLE
        .iter()
        .filter_map(|(n, e)| match e {
            Expect::NotYetCaught(note) => Some(format!("  {n}: {note}")),
            Expect::Caught(_) => None,
        })
        .collect();
    assert!(
        uncaught.is_empty(),
        "deviations no shipped case catches yet:\n{}",
        uncaught.join("\n")
    );
}

#[test]
fn the_runs_stay_fast() {
    let obs = observations();
    assert!(
        obs.took < Duration::from_secs(60),
        "{} runs took {:?}",
        obs.deviating.len() + 2,
        obs.took
    );
}

#[test]
fn detection_matrix_is_current() {
    let obs = observations();
    let text = render_matrix(obs);
    golden::check(&Path::new(env!("CARGO_MANIFEST_DIR")).join(MATRIX), &text);
}

#[test]
fn serve_lists_the_deviations_and_refuses_unknown_ones() {
    let bin = env!("CARGO_BIN_EXE_specgate");
    let out = std::process::Command::new(bin)
        .args(["serve", "--list-deviations"])
        .output()
        .expect("run specgate");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(text.lines().count(), deviations().len(), "{text}");
    for d in deviations() {
        assert!(
            text.lines()
                .any(|l| l.starts_with(d.name()) && l.ends_with(d.description())),
            "{} missing from:\n{text}",
            d.name()
        );
    }
    let out = std::process::Command::new(bin)
        .args(["serve", "--deviate", "no-such-rule"])
        .output()
        .expect("run specgate");
    assert_eq!(out.status.code(), Some(2), "a usage error");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("unknown deviation `no-such-rule`"), "{err}");
    assert!(deviations().iter().all(|d| err.contains(d.name())), "{err}");
}

// --- the matrix -------------------------------------------------------------------------------

fn code_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let v: Vec<String> = items.into_iter().map(|k| format!("`{k}`")).collect();
    if v.is_empty() {
        "-".to_string()
    } else {
        v.join(", ")
    }
}

fn escape_cell(s: &str) -> String {
    s.replace('|', "\\|")
}

fn render_matrix(obs: &Observations) -> String {
    let mut out = String::new();
    out.push_str("# Detection matrix\n\n");
    out.push_str(&format!(
        "<!-- Generated by `{REGENERATE}` (tests/detection.rs). Do not edit. -->\n\n"
    ));
    out.push_str(&format!("Regenerate: `{REGENERATE}`\n\n"));
    let total_cases = obs.faithful.len();
    let passing = obs
        .faithful
        .values()
        .filter(|r| r.verdict == Verdict::Pass)
        .count();
    let caught = obs
        .deviating
        .iter()
        .filter(|(_, run)| !catching(&obs.faithful, run).is_empty())
        .count();
    out.push_str(&format!(
        "Each row is one deviation mode of the emulator (`specgate serve --deviate NAME`, \
         `specgate serve --list-deviations`): one documented rule broken on purpose. The shipped \
         suite ({total_cases} cases; {passing} pass on the faithful emulator) is run against an \
         emulator with that one deviation; a case *catches* it when it passes on the faithful \
         emulator and fails with the deviation. `tests/detection.rs` asserts that every \
         deviation is caught with the expected finding kinds ({caught} of {} caught).\n\n",
        obs.deviating.len()
    ));
    out.push_str(
        "| deviation | rule it breaks | expected kinds | kinds reported | catching cases |\n",
    );
    out.push_str("| --- | --- | --- | --- | --- |\n");
    for (d, run) in &obs.deviating {
        let caught = catching(&obs.faithful, run);
        let seen: BTreeSet<&str> = caught.iter().flat_map(|(_, r)| r.kinds()).collect();
        let expected = match expectation(d.name()) {
            Some(Expect::Caught(k)) => code_list(k.iter().copied()),
            Some(Expect::NotYetCaught(_)) => "**not yet caught**".to_string(),
            None => "**no row**".to_string(),
        };
        let count = if caught.is_empty() {
            "**none**".to_string()
        } else {
            format!("[{}](#{})", caught.len(), d.name())
        };
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} |\n",
            d.name(),
            escape_cell(d.rule()),
            expected,
            code_list(seen.iter().copied()),
            count
        ));
    }
    out.push_str("\n## Finding kinds\n\n");
    out.push_str(
        "Which deviations prove each finding kind: the kind is reported by a case that catches \
         the deviation.\n\n| finding kind | deviations |\n| --- | --- |\n",
    );
    for (kind, elsewhere) in ALL_KINDS {
        let by: Vec<&str> = obs
            .deviating
            .iter()
            .filter(|(_, run)| {
                catching(&obs.faithful, run)
                    .iter()
                    .any(|(_, r)| r.kinds().contains(kind))
            })
            .map(|(d, _)| d.name())
            .collect();
        let cell = match (by.is_empty(), elsewhere.is_empty()) {
            (false, _) => code_list(by),
            (true, false) => format!("none; {elsewhere}"),
            (true, true) => "**none**".to_string(),
        };
        out.push_str(&format!("| `{kind}` | {cell} |\n"));
    }
    out.push_str("\n## Catching cases\n");
    for (d, run) in &obs.deviating {
        out.push_str(&format!("\n### {}\n\n", d.name()));
        out.push_str(&format!("{}.\n\n", escape_cell(d.description())));
        let caught = catching(&obs.faithful, run);
        if caught.is_empty() {
            out.push_str("No shipped case catches it.\n");
            continue;
        }
        out.push_str("| case | verdict | finding kinds |\n| --- | --- | --- |\n");
        for (id, r) in caught {
            out.push_str(&format!(
                "| `{id}` | {} | {} |\n",
                r.verdict.as_str(),
                code_list(r.kinds())
            ));
        }
    }
    out
}
