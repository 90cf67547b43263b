//! Name resolution with a deadline. The system resolver can wait far longer than a request's
//! timeout for a name server that does not answer; the request then timed out as a whole and
//! was reported as `transport.timeout`, as if the target had been reached and was slow. With a
//! deadline of its own, a lookup that does not finish is a connect failure, and a run where no
//! request got past the lookup exits with [`crate::exit::UNREACHABLE`].

use std::net::SocketAddr;
use std::time::Duration;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Resolves names with the system resolver, giving up after `deadline`.
#[derive(Debug, Clone, Copy)]
pub(super) struct BoundedResolver {
    /// How long one lookup may take.
    pub deadline: Duration,
}

impl Resolve for BoundedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let deadline = self.deadline;
        let host = name.as_str().to_string();
        Box::pin(async move {
            // Port 0: the client puts the URL's port on every address it gets.
            match tokio::time::timeout(deadline, tokio::net::lookup_host((host.as_str(), 0))).await
            {
                Ok(Ok(addrs)) => {
                    let addrs: Vec<SocketAddr> = addrs.collect();
                    Ok(Box::new(addrs.into_iter()) as Addrs)
                }
                Ok(Err(e)) => Err(e.into()),
                Err(_) => Err(format!(
                    "dns error: the lookup of {host} did not finish within {} ms",
                    deadline.as_millis()
                )
                .into()),
            }
        })
    }
}

/// The part of a request's timeout that connecting (lookup, TCP, TLS handshake) may use: less
/// than the whole, so that a connection that is never made ends as a connect failure before the
/// request's own timeout ends it as a timeout.
pub(super) fn connect_deadline(timeout: Duration) -> Duration {
    timeout.mul_f64(0.9)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn loopback_resolves_and_a_reserved_name_fails() {
        let r = BoundedResolver {
            deadline: Duration::from_secs(5),
        };
        let addrs: Vec<SocketAddr> = r
            .resolve("localhost".parse().unwrap())
            .await
            .unwrap()
            .collect();
        assert!(addrs.iter().any(|a| a.ip().is_loopback()), "{addrs:?}");
        assert!(
            r.resolve("kms.target.invalid".parse().unwrap())
                .await
                .is_err()
        );
    }
}
