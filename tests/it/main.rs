//! The integration tests, as one test binary: a module per subject, sharing the helpers of
//! `tests/support/`. One binary links once and runs every test in one pool of threads, where
//! forty binaries linked forty times and ran one after another.
//!
//! `cargo test --test it` runs them all; `cargo test --test it emulator_` the emulator's,
//! `cargo test --test it report_golden::` one module's. `tests/detection.rs` is its own binary
//! (`cargo test --test detection`, the documented gate).

#[path = "../support/mod.rs"]
mod support;

mod adoption;
mod aws;
mod botocore;
mod bundled;
mod clean_account;
mod compat;
mod dry_run;
mod emulator_alibaba;
mod emulator_auth;
mod emulator_concurrency;
mod emulator_huawei;
mod emulator_limits;
mod emulator_seed;
mod finding_text;
mod fuzz_answers;
mod fuzz_yaml;
mod golden;
mod import;
mod interrupt;
mod known_deviation;
mod leaks;
mod left_out;
mod lint_golden;
mod live_console;
mod marker_pagination;
mod parity;
mod pictures;
mod preconditions;
mod profile_check;
mod proxy;
mod readings;
mod readings_baseline;
mod readings_emulator;
mod readings_robustness;
mod redact_collector;
mod report_baseline;
mod report_cli;
mod report_consumers;
mod report_golden;
mod report_stream;
mod report_write;
mod robustness;
mod safety;
mod serve_cli;
mod shard_merge;
mod signed;
mod suite;
mod sweep;
mod throttling;
mod tls;
mod transport;
mod xml_face;
