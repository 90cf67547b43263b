//! What bounds the emulator's resources against slow or hostile clients: a header-read timeout,
//! an inactivity timeout (idle keep-alive connections and half-sent bodies), a connection cap,
//! and a budget for the request bodies buffered at once.
//!
//! Memory is bounded by construction: at most [`Limits::body_budget`] bytes of request bodies
//! are buffered at a time (each body at most [`MAX_BODY_BYTES`](super::MAX_BODY_BYTES)), and at
//! most [`Limits::max_connections`] connections are open, each with hyper's bounded buffers.

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::TcpStream;
use tokio::sync::OwnedSemaphorePermit;
use tokio::time::{Instant, Sleep};

/// The emulator's resource bounds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The longest a client may take to send a request's head (from the moment the emulator
    /// waits for it); a slower one is disconnected.
    pub header_timeout: Duration,
    /// The longest a connection may go without a byte read or written while the emulator
    /// waits on it: an idle keep-alive connection, or a body that stopped half-way.
    pub idle_timeout: Duration,
    /// The most connections open at once; more wait in the listen backlog until one closes.
    pub max_connections: usize,
    /// The most request-body bytes buffered at once, all connections together.
    pub body_budget: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            header_timeout: Duration::from_secs(10),
            // Longer than the slowest answer the emulator gives on purpose
            // (`slow-response`, 15 s by default), during which a connection is silent.
            idle_timeout: Duration::from_secs(30),
            // Below the common `ulimit -n` of 256, with room for the process's other files.
            max_connections: 200,
            body_budget: 64 * 1024 * 1024,
        }
    }
}

/// A connection that fails its pending read once nothing moved on it for `idle`, and holds
/// its place under the connection cap until it is dropped.
pub(super) struct GuardedIo {
    inner: TcpStream,
    idle: Duration,
    deadline: Pin<Box<Sleep>>,
    _slot: OwnedSemaphorePermit,
}

impl GuardedIo {
    /// Wraps an accepted connection that holds `slot` of the connection cap.
    pub(super) fn new(inner: TcpStream, idle: Duration, slot: OwnedSemaphorePermit) -> Self {
        GuardedIo {
            inner,
            idle,
            deadline: Box::pin(tokio::time::sleep(idle)),
            _slot: slot,
        }
    }

    /// Something moved: the connection is not idle.
    fn touch(&mut self) {
        self.deadline.as_mut().reset(Instant::now() + self.idle);
    }
}

impl AsyncRead for GuardedIo {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        match Pin::new(&mut self.inner).poll_read(cx, buf) {
            Poll::Ready(r) => {
                if buf.filled().len() > before {
                    self.touch();
                }
                Poll::Ready(r)
            }
            Poll::Pending => match self.deadline.as_mut().poll(cx) {
                Poll::Ready(()) => Poll::Ready(Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "the connection was idle too long",
                ))),
                Poll::Pending => Poll::Pending,
            },
        }
    }
}

impl AsyncWrite for GuardedIo {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write(cx, buf);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        r
    }

    fn poll_write_vectored(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        bufs: &[io::IoSlice<'_>],
    ) -> Poll<io::Result<usize>> {
        let r = Pin::new(&mut self.inner).poll_write_vectored(cx, bufs);
        if matches!(r, Poll::Ready(Ok(n)) if n > 0) {
            self.touch();
        }
        r
    }

    fn is_write_vectored(&self) -> bool {
        self.inner.is_write_vectored()
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buffered_bodies_are_bounded_by_construction() {
        let l = Limits::default();
        // The whole budget holds at least one largest body, and the bound does not grow with
        // the number of connections.
        assert!(l.body_budget >= super::super::MAX_BODY_BYTES);
        assert!(l.body_budget <= 64 * 1024 * 1024);
        assert!(l.max_connections < 256);
        assert!(l.header_timeout < l.idle_timeout);
        assert!(l.idle_timeout > super::super::DEFAULT_SLOW_DELAY);
    }
}
