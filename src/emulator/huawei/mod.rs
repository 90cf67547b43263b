//! Huawei Cloud KMS (REST, v1.0) under `/v1.0/{project_id}/kms/`.

mod errors;
mod fields;
mod ops;
mod routes;
mod wire;

pub(super) use fields::valid_key_id;
pub(super) use routes::{handle, throttled, too_large};
