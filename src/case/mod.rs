//! Case files: what to ask a target and what to expect.

mod load;
mod model;

pub use load::{BUILTIN_VARS, Catalog, load_case_file};
pub use model::*;
