//! Target profiles: where to send requests, how to sign them, and the variables of the target.

mod check;
mod embedded;
mod profile;
mod secret;

pub use check::check_target;
pub use embedded::{embedded_target, vars_of};
pub use profile::{Auth, ServiceTarget, Target, load_target};
pub use secret::{Secret, SecretSource};
