//! Alibaba Cloud KMS (RPC, 2016-01-20) on `/`.

mod dispatch;
mod errors;
mod filters;
mod keyref;
mod ops;
mod params;
mod wire;
mod xml;

pub use dispatch::{handle, throttled, too_large};
pub use errors::AliError;
pub use params::Params;
