//! The reference emulator of Alibaba Cloud KMS (RPC, 2016-01-20) and Huawei Cloud KMS (REST v1.0).
//!
//! It serves both APIs from one in-memory, seeded state on a loopback port. It is written from
//! the vendor documentation and the wire facts, independently of `specs/` and `cases/`, so that a
//! harness run against it cross-checks two readings of the same pages. See `docs/emulator.md`.

mod alibaba;
mod auth;
pub mod cli;
mod config;
mod deviation;
mod huawei;
mod identity;
mod ids;
mod incoming;
mod limits;
pub mod reading;
mod response;
mod seed;
mod seed_yaml;
mod server;
mod state;

pub use cli::{ServeArgs, ServeError, serve};
pub use config::{Config, Credential};
pub use deviation::{DEFAULT_SLOW_DELAY, Deviation, UnknownDeviation, deviations};
pub use identity::{IDENTITY, Identity, identity};
pub use limits::Limits;
pub use reading::{ReadingChoice, Readings, UnknownReading, parse_reading_choice};
pub use seed::default_state;
pub use seed_yaml::{SeedError, load_seed_file, parse_seed};
pub use server::{EmulatorHandle, MAX_BODY_BYTES, ServerError, spawn, spawn_with_limits};
pub use state::{AliAlias, AliKey, AliKeyVersion, AliState, HwAlias, HwKey, HwState, State};
