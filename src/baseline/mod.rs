//! The baseline: a reviewed list of known deviations that the gate accepts, and that can only
//! shrink.
//!
//! ```yaml
//! - target: aliyun-prod
//!   case: alibaba-kms/ListKeys::sample-diff
//!   kind: diff
//!   pointer: /Keys/Key/*/KeyArn     # optional; `*` matches any one segment
//!   reason: the service returns the ARN in upper case
//!   link: https://example.com/issue/12   # optional
//!   expires: 2027-01-31                  # optional; valid through that day (UTC)
//! ```
//!
//! An entry with `reading:` instead of `case`/`kind` pins the reading of an ambiguous page that
//! the target follows (see [`ReadingPin`] and `docs/reports.md`):
//!
//! ```yaml
//! - target: aliyun-prod
//!   reading: { note: page-size-101, follows: a }
//!   reason: the production account refuses PageSize 101
//! ```
//!
//! A finding is accepted by an entry with the same target, case, kind and pointer that has not
//! expired. The gate fails on a finding no entry accepts, on an expired entry, and on a stale
//! entry: one whose case ran and gave a verdict without reproducing it.
//!
//! The files, bottom-up: `entry` (the types and the matching rule), `load` (the file, with
//! file:line:col for every problem), `check` (entries against the run's targets and cases),
//! `judge` (a run's findings against the entries, and each entry's state), `render` (the
//! entries a run's deviations call for, as baseline YAML). `report/` uses this module; it
//! never uses `report/` (a test in `report/layers.rs` says so).

mod check;
mod entry;
mod judge;
mod load;
mod render;

pub use check::check_entries;
pub use entry::{Baseline, Entry, EntryPlaces, NewEntry, ReadingPin, format_date, pointer_matches};
pub(crate) use judge::BaselineTally;
pub use judge::{BaselineReport, EntryReport, EntryState};
pub(crate) use render::{Deviation, NewEntries};
pub use render::{TODO_REASON, check_writable, render_entries, render_file};
