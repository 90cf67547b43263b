//! Specs: what the documentation promises, one file per operation.

mod load;
mod model;

pub(crate) use load::{compile_regex, read_pointer, read_status};
pub use load::{load_operation, load_service, path_placeholders};
pub use model::*;
