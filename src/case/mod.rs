//! Case files: what to ask a target and what to expect.

mod expect;
mod fixture;
mod load;
mod model;
mod scope;

pub use load::{BUILTIN_VARS, Catalog, load_case_file};
pub use model::*;
