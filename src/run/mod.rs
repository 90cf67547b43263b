//! `specgate run`: load, select, execute concurrently, present like `cargo test`, report.

mod args;
mod command;
mod console;
mod dry_run;
mod execute;
mod guard;
mod label;
mod matrix_text;
mod no_cases;
pub mod shard;
mod signals;

pub use args::{Format, NoTests, RunArgs};
pub(crate) use args::{parse_percent, parse_run_id};
pub use command::run;
pub use console::failure_text;
pub use execute::{Planned, RunStats, execute, new_run_prefix};
