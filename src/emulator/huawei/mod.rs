//! Huawei Cloud KMS (REST, v1.0) under `/v1.0/{project_id}/kms/`.

mod errors;
mod fields;
mod ops;
mod routes;
mod wire;

pub use fields::valid_key_id;
pub use routes::{handle, throttled, too_large};
