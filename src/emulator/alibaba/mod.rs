//! Alibaba Cloud KMS (RPC, 2016-01-20) on `/`.

mod dispatch;
mod errors;
mod filters;
mod keyref;
mod ops;
mod params;
mod wire;
mod xml;

pub(super) use dispatch::{handle, throttled, too_large};
pub(super) use errors::AliError;
pub(super) use params::Params;
