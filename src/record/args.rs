//! `specgate record`: the arguments of `run` (the same selection, target and limit flags) and
//! where the recording goes.

use std::path::PathBuf;

use crate::run::{RunArgs, RunConfig};

/// `specgate record [FILTER] [--target FILE] --out DIR [--force]`.
#[derive(Debug, Clone, clap::Args)]
pub struct RecordArgs {
    /// The recording folder to write (e.g. `recordings/aliyun-hangzhou`); `--force` replaces
    /// an existing one.
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// The run's flags: FILTER, --target (once; default: the embedded emulator), --var, ...
    #[command(flatten)]
    pub run: RunArgs,
}

impl RecordArgs {
    /// The run that makes the recording: no report folder and no baseline file, every outcome
    /// kept, the recording written at the end; `--jobs 1` unless
    /// `--jobs` is given.
    pub fn into_config(self) -> RunConfig {
        let force = self.run.force;
        let explicit_jobs = self.run.jobs.is_some() || self.run.test_threads.is_some();
        let mut config = RunConfig::from_args(self.run);
        // One case at a time unless asked otherwise: cases that list what others create see
        // the same state on every recording, so two recordings differ only where the target did.
        if !explicit_jobs {
            config.jobs = 1;
        }
        config.report.dir = None;
        config.write_baseline = None;
        config.record = Some((self.out, force));
        config
    }
}
