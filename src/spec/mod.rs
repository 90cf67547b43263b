//! Specs: what the documentation promises, one file per operation.

mod common;
mod evidence;
mod model;
mod operation;
mod service;
mod volatile;

pub use common::path_placeholders;
pub(crate) use common::{compile_regex, read_pointer, read_status};
pub(crate) use evidence::read_evidence;
pub use evidence::{Evidence, EvidenceKind, Reading};
pub use model::*;
pub use operation::load_operation;
pub use service::load_service;
pub use volatile::VolatileKind;
