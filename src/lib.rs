//! specgate: a conformance harness for cloud HTTP APIs.
//!
//! The modules, in pipeline order (see `docs/architecture.md`):
//!
//! 1. read the user's files with positions: [`yaml`], [`diag`], [`pointer`](mod@pointer), [`vars`];
//! 2. model them: [`spec`] (what the documentation promises), [`case`] (what to ask and
//!    expect), [`suite`] (both, cross-checked), [`target`] (where to send it), checked by
//!    [`lint`];
//! 3. run: `run` plans and presents, [`exec`] builds, signs ([`sign`]) and sends each step;
//! 4. judge: [`check`] turns answers into [`finding`]s;
//! 5. report: [`redact`] removes every credential from what is written and escapes control
//!    characters; [`baseline`] loads, judges and renders the known deviations; [`report`]
//!    writes the run's files and applies the baseline gate; [`exit`] holds
//!    the exit codes, [`runtime`] the async runtime a command runs on.
//!
//! Beside the pipeline: the [`emulator`] (an independent implementation of the documented APIs,
//! the default target), [`import`] (vendor sources to specs and derived cases), `record`
//! (recordings and parity), `merge` (shard reports joined), `sweep` (clean-up of what runs left
//! on a real target) and `bundled` (the shipped suite in the binary). [`cli`] is the command
//! line that `main` calls.
//!
//! The public surface is what the binary and the integration tests use; the modules that only
//! `cli` reaches (`run`, `merge`, `record`, `sweep`, ...) are private and their items
//! `pub(crate)` (the `unreachable_pub` lint keeps it so).

// Diagnostics are returned by value: they are user-facing data, built rarely, never on a hot path.
#![allow(clippy::result_large_err)]
// The public surface is what the binary and the tests use; everything else is `pub(crate)`.
#![warn(unreachable_pub)]

// Reading and modelling.
pub mod case;
pub mod diag;
mod evidence_lint;
pub mod lint;
pub mod pointer;
mod pointer_lint;
pub mod spec;
pub mod suite;
pub mod target;
pub mod vars;
pub mod xml;
pub mod yaml;

// Running and judging.
pub mod check;
pub mod exec;
pub mod finding;
pub mod id;
mod record;
pub mod redact;
mod run;
pub mod sign;

// Reporting and the process edge.
pub mod baseline;
mod bounds;
mod bundled;
pub mod cli;
pub mod exit;
pub mod report;
pub mod runtime;

// Beside the pipeline.
pub mod emulator;
pub mod import;
mod merge;
mod sweep;
