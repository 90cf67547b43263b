//! Specs: what the documentation promises, one file per operation.
