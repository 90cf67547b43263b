//! Target profiles: where to send requests, how to sign them, and the variables of the target.

mod aws_credentials;
mod check;
mod embedded;
mod error;
mod profile;
mod secret;

pub use aws_credentials::Lookup as AwsCredentialLookup;
pub use check::check_target;
pub use embedded::{embedded_target, vars_of};
pub use error::TargetError;
pub use profile::{Auth, ServiceTarget, Target, load_target};
pub use secret::{Secret, SecretSource};
