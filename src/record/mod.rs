//! Recordings and parity: `specgate record` writes what a target answered to every case step
//! (masked, without secrets) as text files, and `specgate run --reference DIR` holds another
//! target to those answers (`docs/parity.md`).
//!
//! - [`args`]: the `record` subcommand's arguments.
//! - [`step`]: one exchange as a recording keeps it (the request as sent, the answer, masked).
//! - [`write`](mod@write): the recording folder: one file per operation and `manifest.yaml`, atomically.
//! - [`read`]: loading a recording back, with file:line for anything damaged or foreign.
//! - [`parity`]: comparing an answer with the recorded one; differences are `parity` findings.

pub(crate) mod args;
pub(crate) mod parity;
pub(crate) mod read;
pub(crate) mod step;
pub(crate) mod write;

pub(crate) use args::RecordArgs;
pub(crate) use read::{Reference, load_reference};
pub(crate) use write::write_recording;

/// The recording layout's version, written to `manifest.yaml`.
pub(crate) const FORMAT_VERSION: u32 = 1;

/// What a recording writes in place of the run's resource-name prefix (`sg-1a2b3c4d`), which
/// differs on every run.
pub(crate) const RUN_PREFIX: &str = "<run-prefix>";
