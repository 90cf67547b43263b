//! specgate: a conformance harness for cloud HTTP APIs.
//!
//! The modules read as the pipeline (see `docs/architecture.md`):
//! files are parsed with positions ([`yaml`]), turned into [`spec`]s, [`case`]s and
//! [`target`]s, checked by [`lint`], executed ([`exec`], with request signing from [`sign`]),
//! judged ([`check`]) and reported ([`report`]). The [`emulator`] is a separate, independent
//! implementation of the documented APIs that serves as the default target.

// Diagnostics are returned by value: they are user-facing data, built rarely, never on a hot path.
#![allow(clippy::result_large_err)]

pub mod case;
pub mod check;
pub mod cli;
pub mod diag;
pub mod emulator;
pub mod exec;
pub mod exit;
pub mod finding;
pub mod lint;
pub mod pointer;
pub mod report;
pub mod run;
pub mod sign;
pub mod spec;
pub mod suite;
pub mod sweep;
pub mod target;
pub mod vars;
pub mod yaml;
