//! `specgate run`: the command line becomes a [`RunConfig`] (`config`), the suite and targets a
//! [`Plan`] (`plan`), which is executed concurrently (`execute`), presented like `cargo test`
//! (`console`) and reported.

mod args;
mod color;
mod command;
mod config;
mod console;
mod dry_run;
pub(crate) mod events;
mod execute;
mod guard;
mod label;
mod matrix_text;
mod no_cases;
mod plan;
mod progress;
mod reference;
pub(crate) mod shard;
mod signals;

pub(crate) use args::RunArgs;
pub(crate) use args::{parse_percent, parse_run_id};
pub(crate) use command::run;
pub(crate) use config::RunConfig;
