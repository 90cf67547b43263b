//! What `specgate run` was asked to do, as plain data: the command line ([`RunArgs`], clap's)
//! becomes a [`RunConfig`] here, once, and planning, execution and presentation read only this.

use std::path::PathBuf;

use super::args::{Format, NoTests, RunArgs};
use super::shard::Shard;
use crate::emulator::ReadingChoice;
use crate::exec::ClientOptions;
use crate::vars::Vars;

/// The whole of a run's settings; see [`RunConfig::from_args`].
#[derive(Debug, Clone)]
pub struct RunConfig {
    /// The specs directory.
    pub specs: PathBuf,
    /// Case files or directories.
    pub cases: Vec<PathBuf>,
    /// Target profiles; none: the embedded emulator.
    pub targets: Vec<PathBuf>,
    /// `--var name=value`, in the order given (the last of a name wins).
    pub vars: Vec<(String, String)>,
    /// The same values as variables, which override the targets' own.
    pub overrides: Vars,
    /// Which cases run.
    pub selection: Selection,
    /// Run each selected case this many times (at least 1).
    pub repeat: u32,
    /// Only this part of the plan (`--shard K/N`).
    pub shard: Option<Shard>,
    /// Cases run at once (at least 1).
    pub jobs: usize,
    /// `--threads`: the runtime's threads; `None` leaves it to [`crate::runtime::run_threads`].
    pub threads: Option<usize>,
    /// The run-wide cap on requests per second.
    pub rate_limit: Option<f64>,
    /// Whether mutating cases may run against a real target.
    pub allow_mutations: bool,
    /// Run, or only list or print what would be sent.
    pub mode: Mode,
    /// The HTTP client's limits.
    pub client: ClientOptions,
    /// How the console shows the run.
    pub console: ConsoleOptions,
    /// Which report files are written, and where.
    pub report: ReportOptions,
    /// The known deviations (`--baseline`).
    pub baseline: Option<PathBuf>,
    /// Where to write this run's deviations, and whether an existing file may be replaced.
    pub write_baseline: Option<(PathBuf, bool)>,
    /// Whether a target must follow every ambiguous page's reference reading.
    pub strict_readings: bool,
    /// The readings the embedded emulator follows (`--emulator-reading`).
    pub emulator_readings: Vec<ReadingChoice>,
    /// The least percentage of selected cases that must be tested.
    pub require_coverage: Option<f64>,
    /// `--reference DIR`: hold the answers to a recording (docs/parity.md).
    pub parity: Option<ParityOptions>,
    /// `specgate record --out DIR`: write the run as a recording there (and whether an
    /// existing one may be replaced) instead of reports.
    pub record: Option<(PathBuf, bool)>,
}

/// `--reference`, `--checks` and `--parity`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParityOptions {
    /// The recording folder.
    pub reference: PathBuf,
    /// `--checks parity`: the spec's checks are off.
    pub only: bool,
    /// `--parity`.
    pub mode: crate::record::parity::ParityMode,
}

/// FILTER, `--skip` and `--exact` (libtest's rules), and what an empty selection does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    /// Run only trials whose name contains (or, with `exact`, is) this.
    pub filter: Option<String>,
    /// Skip trials whose name contains (or is) any of these.
    pub skip: Vec<String>,
    /// Match names exactly instead of as substrings.
    pub exact: bool,
    /// What a run that selects nothing does.
    pub no_tests: NoTests,
}

impl Selection {
    /// Whether a trial name is selected.
    pub fn selects(&self, name: &str) -> bool {
        let matches = |pattern: &str| {
            if self.exact {
                name == pattern
            } else {
                name.contains(pattern)
            }
        };
        if let Some(f) = &self.filter
            && !matches(f)
        {
            return false;
        }
        !self.skip.iter().any(|s| matches(s))
    }
}

/// Whether the run sends anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Run the plan.
    Run,
    /// Print the plan's trial names (`--list`; it wins over `--dry-run`).
    List,
    /// Print every request the plan would send, and send none (`--dry-run`).
    DryRun,
}

/// The console's settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConsoleOptions {
    /// libtest's format.
    pub format: Format,
    /// Only failures and the summary.
    pub quiet: bool,
    /// `--color`.
    pub color: super::color::ColorChoice,
}

/// Which report files a run writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// The folder that gets `<run-id>/` and `latest/`; `None` with `--no-report`.
    pub dir: Option<PathBuf>,
    /// The report folder's name instead of `<UTC time>-<run prefix>`.
    pub run_id: Option<String>,
    /// Placeholders instead of times, ports and random ids.
    pub stable: bool,
    /// `--history FILE`: the run is appended to FILE and report.html shows the trend.
    pub history: Option<PathBuf>,
}

impl RunConfig {
    /// The settings the command line asks for. The values were checked as clap parsed them
    /// (bounds, shard, percentages); here they are only resolved (`--jobs` or
    /// `--test-threads` or the default, `--list` over `--dry-run`, `--var` as variables).
    pub fn from_args(args: RunArgs) -> RunConfig {
        let jobs = args
            .jobs
            .or(args.test_threads)
            .unwrap_or_else(|| {
                // A parity run replays the recording's order (one case at a time, as
                // `record` runs): cases that list what others create see the same state.
                if args.reference.is_some() {
                    return 1;
                }
                std::thread::available_parallelism()
                    .map(|n| n.get())
                    .unwrap_or(2)
                    * 4
            })
            .max(1);
        let overrides = args
            .vars
            .iter()
            .map(|(k, v)| (k.clone(), serde_json::Value::String(v.clone())))
            .collect();
        RunConfig {
            specs: args.specs,
            cases: args.cases,
            targets: args.targets,
            vars: args.vars,
            overrides,
            selection: Selection {
                filter: args.filter,
                skip: args.skip,
                exact: args.exact,
                no_tests: args.no_tests,
            },
            repeat: args.repeat.max(1),
            shard: args.shard,
            jobs,
            threads: args.threads,
            rate_limit: args.rate_limit,
            allow_mutations: args.allow_mutations,
            mode: if args.list {
                Mode::List
            } else if args.dry_run {
                Mode::DryRun
            } else {
                Mode::Run
            },
            client: ClientOptions {
                timeout: crate::bounds::timeout(args.timeout),
                body_cap: args.body_cap,
                insecure: args.insecure,
            },
            console: ConsoleOptions {
                format: args.format,
                quiet: args.quiet,
                color: args.color,
            },
            report: ReportOptions {
                dir: (!args.no_report).then_some(args.report_dir),
                run_id: args.run_id,
                stable: args.stable_report,
                history: args.history,
            },
            baseline: args.baseline,
            write_baseline: args.write_baseline.map(|p| (p, args.force)),
            strict_readings: args.strict_readings,
            emulator_readings: args.emulator_readings,
            require_coverage: args.require_coverage,
            parity: args.reference.map(|reference| ParityOptions {
                reference,
                only: args.checks == super::args::Checks::Parity,
                mode: args.parity,
            }),
            record: None,
        }
    }

    /// Whether the run sends requests (not `--list`, not `--dry-run`).
    pub fn sends(&self) -> bool {
        self.mode == Mode::Run
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use clap::Parser;

    #[derive(Parser)]
    struct Wrap {
        #[command(flatten)]
        run: RunArgs,
    }

    /// The config of `specgate run ARGV...`.
    pub(crate) fn config(argv: &[&str]) -> RunConfig {
        let args = Wrap::parse_from(std::iter::once("specgate").chain(argv.iter().copied())).run;
        RunConfig::from_args(args)
    }

    #[test]
    fn the_command_line_is_resolved_once() {
        let c = config(&["ListKeys", "--test-threads", "3", "--list", "--dry-run"]);
        assert_eq!(c.jobs, 3);
        assert_eq!(c.mode, Mode::List);
        assert_eq!(c.selection.filter.as_deref(), Some("ListKeys"));
        let c = config(&[
            "--jobs",
            "2",
            "--test-threads",
            "3",
            "--dry-run",
            "--no-report",
        ]);
        assert_eq!(c.jobs, 2);
        assert_eq!(c.mode, Mode::DryRun);
        assert_eq!(c.report.dir, None);
        let c = config(&["--var", "region=a", "--var", "region=b", "--repeat", "1"]);
        assert_eq!(c.overrides.get("region"), Some(&serde_json::json!("b")));
        assert_eq!(c.report.dir, Some(PathBuf::from("reports")));
        assert!(c.sends());
    }

    #[test]
    fn threads_are_parsed_zero_is_refused_and_the_runtime_follows() {
        assert_eq!(config(&["--threads", "1"]).threads, Some(1));
        assert_eq!(config(&["--threads", "1024"]).threads, Some(1024));
        assert_eq!(config(&[]).threads, None);
        for bad in ["0", "1025", "-1", "many", ""] {
            assert!(
                Wrap::try_parse_from(["specgate", "--threads", bad]).is_err(),
                "--threads {bad} was accepted"
            );
        }
        let flavor = |argv: &[&str]| {
            let threads = crate::runtime::run_threads(config(argv).threads);
            crate::runtime::build(threads)
                .unwrap()
                .handle()
                .runtime_flavor()
        };
        use tokio::runtime::RuntimeFlavor;
        assert_eq!(flavor(&["--threads", "1"]), RuntimeFlavor::CurrentThread);
        assert_eq!(flavor(&["--threads", "2"]), RuntimeFlavor::MultiThread);
    }

    #[test]
    fn selection_follows_libtest() {
        let s = config(&["ListKeys", "--skip", "page-size"]).selection;
        assert!(s.selects("alibaba-kms/ListKeys::first-page"));
        assert!(!s.selects("alibaba-kms/ListKeys::page-size-1"));
        assert!(!s.selects("alibaba-kms/CreateKey::x"));
        let s = config(&["a/B::c", "--exact"]).selection;
        assert!(s.selects("a/B::c"));
        assert!(!s.selects("a/B::cd"));
    }
}
