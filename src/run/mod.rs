//! `specgate run`: the command line becomes a [`RunConfig`] (`config`), the suite and targets a
//! [`Plan`] (`plan`), which is executed concurrently (`execute`), presented like `cargo test`
//! (`console`) and reported.

mod args;
mod color;
mod command;
mod config;
mod console;
mod dry_run;
pub mod events;
mod execute;
mod guard;
mod label;
mod matrix_text;
mod no_cases;
mod plan;
mod progress;
mod reference;
pub mod shard;
mod signals;

pub use args::{Checks, Format, NoTests, RunArgs};
pub(crate) use args::{parse_percent, parse_run_id};
pub use color::ColorChoice;
pub use command::run;
pub use config::{ConsoleOptions, Mode, ParityOptions, ReportOptions, RunConfig, Selection};
pub use console::failure_text;
pub use execute::{RunStats, execute, new_run_prefix};
pub use plan::{Plan, PlanError, Planned};
