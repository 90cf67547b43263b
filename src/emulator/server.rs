//! The HTTP server: binds, accepts within the connection cap, buffers each bounded request,
//! routes it to a cloud, shuts down. Slow and idle clients are cut off by the [`Limits`].

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::body::{Body, to_bytes};
use axum::extract::State as AxumState;
use axum::http::{HeaderValue, Request, header};
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, oneshot, watch};
use tokio::task::JoinHandle;

use super::config::Config;
use super::deviation::{self, Deviation};
use super::incoming::{Incoming, decode_pairs};
use super::limits::{GuardedIo, Limits};
use super::response::HttpResponse;
use super::state::State;
use super::{alibaba, huawei};

/// The largest request body accepted, in bytes (1 MiB); larger bodies get a 413 (Alibaba) or
/// a 400 `KMS.0203` (Huawei).
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// What every request handler shares: the configuration and the state behind one lock.
#[derive(Debug)]
pub(super) struct Shared {
    /// The configuration the emulator was started with (its seed is the initial state).
    pub config: Config,
    /// What the deviations that depend on earlier requests remember.
    pub memory: deviation::Memory,
    /// Requests received, for `throttle_every`.
    pub received: std::sync::atomic::AtomicU64,
    /// The request-body bytes that may still be buffered (see [`Limits::body_budget`]).
    bodies: Semaphore,
    state: Mutex<State>,
}

impl Shared {
    /// Builds the shared part from a configuration, starting from its seed, with a budget of
    /// `body_budget` bytes for all request bodies (never less than one whole body, so that a
    /// body of the largest size can always be buffered).
    pub(super) fn new(config: Config, body_budget: usize) -> Self {
        let state = Mutex::new(config.seed.clone());
        Self {
            config,
            memory: deviation::Memory::default(),
            received: std::sync::atomic::AtomicU64::new(0),
            bodies: Semaphore::new(body_budget.max(MAX_BODY_BYTES)),
            state,
        }
    }

    /// Locks the state; a poisoned lock is recovered (handlers never leave it half-updated).
    pub(super) fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A running emulator; dropping it also stops the server.
#[derive(Debug)]
pub struct EmulatorHandle {
    addr: SocketAddr,
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<Result<(), ServerError>>>,
}

impl EmulatorHandle {
    /// The bound address (with the real port when port 0 was asked for).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The base URL, `http://127.0.0.1:PORT`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting connections, lets in-flight requests finish, and waits for the server.
    pub async fn shutdown(mut self) -> Result<(), ServerError> {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        match self.task.take() {
            Some(task) => task.await?,
            None => Ok(()),
        }
    }

    /// Waits until the server stops on its own (it only stops when shut down).
    pub async fn wait(mut self) -> Result<(), ServerError> {
        match self.task.take() {
            Some(task) => task.await?,
            None => Ok(()),
        }
    }
}

impl Drop for EmulatorHandle {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// Why the emulator's server stopped with an error (binding is not here: [`spawn`] fails then).
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    /// The server task panicked or was cancelled: a bug in the emulator.
    #[error("the server task failed: {0}")]
    Task(#[from] tokio::task::JoinError),
    /// The connection slots were closed while the server accepted: a state that cannot happen.
    #[error("the connection slots were closed while accepting")]
    SlotsClosed,
    /// An I/O error of the server itself.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Starts an emulator on `config.addr` (`127.0.0.1:0` by default) and returns its handle.
pub async fn spawn(config: Config) -> std::io::Result<EmulatorHandle> {
    spawn_with_limits(config, Limits::default()).await
}

/// Starts an emulator like [`spawn`], with other resource bounds.
pub async fn spawn_with_limits(config: Config, limits: Limits) -> std::io::Result<EmulatorHandle> {
    let mut limits = limits;
    if config.deviates(Deviation::SlowResponse) {
        // A connection is silent while an answer is held back: not idle.
        let held = config.slow_response_delay + std::time::Duration::from_secs(5);
        limits.idle_timeout = limits.idle_timeout.max(held);
    }
    let listener = TcpListener::bind(config.addr).await?;
    let addr = listener.local_addr()?;
    let shared = Shared::new(config, limits.body_budget);
    let app = Router::new().fallback(handle).with_state(Arc::new(shared));
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(accept_loop(listener, app, limits, stopped));
    Ok(EmulatorHandle {
        addr,
        stop: Some(stop),
        task: Some(task),
    })
}

/// Accepts connections (at most `limits.max_connections` open at once) and serves each until
/// `stopped`; then lets the requests in flight finish and waits for every connection to close.
async fn accept_loop(
    listener: TcpListener,
    app: Router,
    limits: Limits,
    mut stopped: oneshot::Receiver<()>,
) -> Result<(), ServerError> {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (closing, closing_rx) = watch::channel(false);
    loop {
        let slot = tokio::select! {
            slot = slots.clone().acquire_owned() => slot.map_err(|_| ServerError::SlotsClosed)?,
            _ = &mut stopped => break,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(_) => {
                    // Out of file descriptors, or a connection reset before it was accepted:
                    // wait a moment rather than spin.
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                    continue;
                }
            },
            _ = &mut stopped => break,
        };
        let _ = stream.set_nodelay(true);
        let io = TokioIo::new(GuardedIo::new(stream, limits.idle_timeout, slot));
        let service = TowerToHyperService::new(app.clone());
        let mut closing = closing_rx.clone();
        tokio::spawn(async move {
            let mut builder = hyper::server::conn::http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout);
            let conn = builder.serve_connection(io, service);
            let mut conn = std::pin::pin!(conn);
            tokio::select! {
                _ = conn.as_mut() => return,
                _ = closing.wait_for(|c| *c) => conn.as_mut().graceful_shutdown(),
            }
            let _ = conn.await;
        });
    }
    drop(listener);
    let _ = closing.send(true);
    // Every connection holds a slot until it closes: having them all back means all are closed.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = slots.acquire_many(all).await;
    Ok(())
}

/// The one handler: buffers the body within the limits, then routes by path.
async fn handle(AxumState(shared): AxumState<Arc<Shared>>, req: Request<Body>) -> HttpResponse {
    let (parts, body) = req.into_parts();
    let path = parts.uri.path().to_string();
    let query = decode_pairs(parts.uri.query().unwrap_or("").as_bytes());
    // The bytes this body may take, reserved from the budget of all bodies before buffering.
    let declared = parts
        .headers
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let declared_too_large = declared.is_some_and(|n| n > MAX_BODY_BYTES as u64);
    let reserve = match declared {
        Some(n) => n.min(MAX_BODY_BYTES as u64) as u32,
        None if parts.headers.contains_key("transfer-encoding") => MAX_BODY_BYTES as u32,
        None => 0,
    };
    let _reserved = if declared_too_large || reserve == 0 {
        None
    } else {
        shared.bodies.acquire_many(reserve).await.ok()
    };
    let body = if declared_too_large {
        None
    } else {
        to_bytes(body, MAX_BODY_BYTES).await.ok()
    };
    let Some(body) = body else {
        return if is_huawei_path(&path) {
            huawei::too_large(MAX_BODY_BYTES)
        } else {
            alibaba::too_large(MAX_BODY_BYTES)
        };
    };
    let incoming = Incoming {
        method: parts.method,
        path,
        query,
        headers: parts.headers,
        body,
    };
    if let Some(n) = shared.config.throttle_every {
        let count = shared
            .received
            .fetch_add(1, std::sync::atomic::Ordering::SeqCst)
            + 1;
        if n > 0 && count % u64::from(n) == 0 {
            return if is_huawei_path(&incoming.path) {
                huawei::throttled()
            } else {
                alibaba::throttled()
            };
        }
    }
    if let Some(delay) = deviation::delay_for(&shared.config, &incoming) {
        tokio::time::sleep(delay).await;
    }
    let mut resp = if is_huawei_path(&incoming.path) {
        huawei::handle(&shared, &incoming)
    } else {
        alibaba::handle(&shared, &incoming)
    };
    if shared.config.deviates(Deviation::JsonAsTextPlain) {
        json_as_text_plain(&mut resp);
    }
    resp
}

/// [`Deviation::JsonAsTextPlain`]: relabels a JSON answer as `text/plain`.
fn json_as_text_plain(resp: &mut HttpResponse) {
    let is_json = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"));
    if is_json {
        resp.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/plain;charset=utf-8"),
        );
    }
}

/// True for paths of the Huawei REST API (`/v1.0/...`).
fn is_huawei_path(path: &str) -> bool {
    path == "/v1.0" || path.starts_with("/v1.0/")
}
