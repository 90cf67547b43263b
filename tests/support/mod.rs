//! Helpers shared by the integration tests (`tests/it/`): each file has one job, and every
//! helper here is used by some test.

pub mod aws_json;
pub mod emulator;
pub mod fuzz;
pub mod golden;
pub mod leak;
pub mod readings;
pub mod report_fixture;
pub mod scenario;
pub mod serve;
