//! `specgate run`: load, select, execute concurrently, present like `cargo test`, report.

mod args;
mod command;
mod console;
mod dry_run;
mod execute;
mod guard;
pub mod shard;
mod signals;

pub use args::{Format, RunArgs};
pub use command::run;
pub use console::failure_text;
pub use execute::{Planned, RunStats, execute, new_run_prefix};
