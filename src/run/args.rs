//! The arguments of `specgate run`: selection, targets, limits, and the libtest flags.

use std::path::PathBuf;

/// Output format of the console, as in libtest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// One line per case.
    Pretty,
    /// One character per case.
    Terse,
    /// JSON events, one per line.
    Json,
}

/// What a run that selects no case does (`--no-tests`, nextest's flag).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum NoTests {
    /// Exit 4 with "no case matches the filter": a misspelt filter must not turn the gate off.
    Fail,
    /// Run nothing and pass.
    Pass,
}

/// Which checks judge the answers (`--checks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Checks {
    /// The spec's checks, and parity with `--reference`.
    All,
    /// Only parity with the `--reference` recording.
    Parity,
}

/// `specgate run [FILTER] [--target FILE]... [--var k=v]... [--jobs N] [--allow-mutations]`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunArgs {
    /// Run only cases whose name contains FILTER (`<service>/<Operation>::<case>`).
    pub filter: Option<String>,
    /// Target profile (YAML); repeat to compare targets. Default: the embedded emulator.
    #[arg(long = "target", value_name = "FILE")]
    pub targets: Vec<PathBuf>,
    /// Set or override a target variable, `name=value`.
    #[arg(long = "var", value_name = "NAME=VALUE", value_parser = parse_var)]
    pub vars: Vec<(String, String)>,
    /// Cases run at once (default: cores × 4; at most 65,536).
    #[arg(long, value_name = "N", value_parser = crate::bounds::jobs)]
    pub jobs: Option<usize>,
    /// Same as --jobs (libtest's name).
    #[arg(long = "test-threads", value_name = "N", value_parser = crate::bounds::jobs)]
    pub test_threads: Option<usize>,
    /// Threads of the run's async runtime (1 to 1024; default: every core; `TOKIO_WORKER_THREADS`
    /// also sets it). One thread is a current-thread runtime, the cheapest per request when the
    /// target is a process on the same machine that needs the other cores (docs/benchmarks.md).
    #[arg(long, value_name = "N", value_parser = parse_threads)]
    pub threads: Option<usize>,
    /// Run each selected case N times, as distinct trials (`name#1` .. `name#N`), for benchmarks.
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = crate::bounds::repeat)]
    pub repeat: u32,
    /// Cap the requests per second across the whole run (for real clouds' quotas; 0.001 to
    /// 1,000,000).
    #[arg(long, value_name = "N", value_parser = crate::bounds::rate)]
    pub rate_limit: Option<f64>,
    /// Let cases that create, change or delete resources run against a real target.
    #[arg(long)]
    pub allow_mutations: bool,
    /// Print every request the run would send (signed, secrets redacted) and send none.
    #[arg(long)]
    pub dry_run: bool,
    /// List the selected cases without running them.
    #[arg(long)]
    pub list: bool,
    /// Match FILTER and --skip exactly instead of as substrings.
    #[arg(long)]
    pub exact: bool,
    /// Skip cases whose name contains this (repeatable).
    #[arg(long, value_name = "FILTER")]
    pub skip: Vec<String>,
    /// What to do when FILTER and --skip select no case: `fail` (exit 4) or `pass`.
    #[arg(long, value_enum, default_value = "fail", value_name = "fail|pass")]
    pub no_tests: NoTests,
    /// Console format.
    #[arg(long, value_enum, default_value = "pretty")]
    pub format: Format,
    /// Colour `ok`, `FAILED` and `ignored`: `auto` on a terminal unless `NO_COLOR` is set.
    #[arg(
        long,
        value_enum,
        default_value = "auto",
        value_name = "auto|always|never"
    )]
    pub color: super::color::ColorChoice,
    /// Only print failures and the summary.
    #[arg(long, short)]
    pub quiet: bool,
    /// The specs directory.
    #[arg(long, default_value = "specs", value_name = "DIR")]
    pub specs: PathBuf,
    /// Case files or directories.
    #[arg(long = "cases", default_value = "cases", value_name = "PATH")]
    pub cases: Vec<PathBuf>,
    /// Per-request timeout in seconds (0.001 to 86400).
    #[arg(long, default_value_t = 10.0, value_name = "SECS", value_parser = crate::bounds::timeout_secs)]
    pub timeout: f64,
    /// Largest response body read, in bytes (at most 1 GiB).
    #[arg(long, default_value_t = 10 * 1024 * 1024, value_name = "BYTES", value_parser = crate::bounds::body_cap)]
    pub body_cap: usize,
    /// Accept invalid TLS certificates (the report says so).
    #[arg(long)]
    pub insecure: bool,
    /// Where reports go: `DIR/<run-id>/` and `DIR/latest/`.
    #[arg(long, default_value = "reports", value_name = "DIR")]
    pub report_dir: PathBuf,
    /// Write no report files.
    #[arg(long)]
    pub no_report: bool,
    /// The report folder's name instead of `<UTC time>-<run prefix>` (e.g. `example`).
    #[arg(long, value_name = "ID", value_parser = parse_run_id)]
    pub run_id: Option<String>,
    /// Replace times, ports, the run prefix and random ids in the reports by placeholders.
    #[arg(long)]
    pub stable_report: bool,
    /// Append one JSON line for this run to FILE (created if absent) and show the trend of the
    /// last 50 runs in report.html.
    #[arg(long, value_name = "FILE")]
    pub history: Option<PathBuf>,
    /// Known deviations (YAML); the gate fails on anything else, and on stale or expired entries.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write this run's deviations as a baseline file for review.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Let --write-baseline (or `record --out`) replace an existing file.
    #[arg(long)]
    pub force: bool,
    /// Also compare every step's answer with the recording in DIR (`specgate record`): the
    /// differences are `parity` findings (docs/parity.md).
    #[arg(long, value_name = "DIR")]
    pub reference: Option<PathBuf>,
    /// Which checks judge the answers: `all` (the spec's and, with --reference, parity) or
    /// `parity` (only the comparison with the recording).
    #[arg(
        long,
        value_enum,
        default_value = "all",
        value_name = "all|parity",
        requires = "reference"
    )]
    pub checks: Checks,
    /// What parity findings do: `fail` the case and the gate (unless baselined) or `warn`
    /// (reported only).
    #[arg(long, value_enum, default_value = "fail", value_name = "fail|warn")]
    pub parity: crate::record::parity::ParityMode,
    /// Expect every ambiguous page's reference reading (the spec's `emulator:` reading): a
    /// target that follows another reading fails the gate. Baseline pins still win.
    #[arg(long)]
    pub strict_readings: bool,
    /// Make the embedded emulator follow reading ID of doc note NOTE (repeatable); see
    /// `specgate serve --list-readings`.
    #[arg(long = "emulator-reading", value_name = "NOTE=ID", value_parser = crate::emulator::parse_reading_choice, conflicts_with = "targets")]
    pub emulator_readings: Vec<crate::emulator::ReadingChoice>,
    /// Fail the gate when fewer than PCT % of the selected cases were tested (not skipped, not
    /// inconclusive). Without it the gate fails only when none was.
    #[arg(long, value_name = "PCT", value_parser = parse_percent)]
    pub require_coverage: Option<f64>,
    /// Run only shard K of N (1 ≤ K ≤ N ≤ 1000): a fixed part of the plan, by a stable hash
    /// of each case (cases sharing a fixture stay together), for a CI job matrix; join the
    /// reports with `specgate merge`.
    #[arg(long, value_name = "K/N", value_parser = super::shard::parse_shard)]
    pub shard: Option<super::shard::Shard>,
}

/// A percentage from 0 to 100 (`--require-coverage`), with or without `%`.
pub(crate) fn parse_percent(s: &str) -> Result<f64, String> {
    match s.trim_end_matches('%').parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(format!("`{s}` is not a percentage from 0 to 100")),
    }
}

/// The most runtime threads `--threads` takes.
pub(crate) const MAX_THREADS: usize = 1024;

/// A number of runtime threads for `--threads`: from 1 to [`MAX_THREADS`].
pub(crate) fn parse_threads(s: &str) -> Result<usize, String> {
    match s.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_THREADS).contains(&n) => Ok(n),
        _ => Err(format!("threads are from 1 to {MAX_THREADS}, not `{s}`")),
    }
}

/// A `--run-id` that can name a report folder.
pub(crate) fn parse_run_id(s: &str) -> Result<String, String> {
    crate::report::check_run_id(s)
        .map(|()| s.to_string())
        .map_err(|e| e.to_string())
}

fn parse_var(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.is_empty() => Ok((k.to_string(), v.to_string())),
        _ => Err(format!("`{s}` is not NAME=VALUE")),
    }
}
