//! Request signing and signature verification for the supported auth kinds.
//!
//! Each auth kind has its own module with a signer (`sign`, `sign_now`), a verifier (`verify`)
//! and the pure functions of its algorithm; the shared request, credential, error and clock types
//! are re-exported here.

mod authz;
mod canon;
mod clock;
mod credentials;
mod crypto;
mod error;
mod nonce;
mod request;

pub mod alibaba_v1;
pub mod alibaba_v3;
pub mod aws_sigv4;
pub mod encode;
pub mod huawei;
pub mod huawei_token;

pub use clock::ClockCheck;
pub use credentials::Credentials;
pub use error::AuthError;
pub use request::SignableRequest;
