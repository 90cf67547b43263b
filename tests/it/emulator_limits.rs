//! The emulator against slow and hostile clients: idle connections and half-sent bodies are
//! closed after the timeouts, a too-large body gets an error answer, and connections held open
//! by a slowloris client up to the connection cap do not keep a normal request from being
//! served in bounded time. Memory is bounded by construction (the body budget; see
//! `src/emulator/limits.rs`), not measured here.

use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use specgate::emulator::{Config, Limits, spawn_with_limits};

const LIMITS: Limits = Limits {
    header_timeout: Duration::from_millis(500),
    idle_timeout: Duration::from_millis(800),
    max_connections: 16,
    body_budget: 4 * 1024 * 1024,
};

/// Starts an emulator with short limits on its own runtime thread; returns its address.
fn emulator() -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let handle = spawn_with_limits(Config::default(), LIMITS).await.unwrap();
            tx.send(handle.addr()).unwrap();
            let _ = handle.wait().await;
        });
    });
    rx.recv().unwrap()
}

/// Reads until the server closes the connection (or resets it); the time it took, or `None`
/// when it was still open after `within`.
fn closed_within(s: &mut TcpStream, within: Duration) -> Option<Duration> {
    let started = Instant::now();
    s.set_read_timeout(Some(within)).unwrap();
    let mut buf = [0u8; 4096];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return Some(started.elapsed()),
            Ok(_) => continue, // an error answer before the close
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                return None;
            }
            Err(_) => return Some(started.elapsed()),
        }
    }
}

/// A complete ListKeys request; the status line of its answer.
fn list_keys(addr: SocketAddr) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    s.write_all(b"POST /?Action=ListKeys HTTP/1.1\r\nHost: kms\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    let _ = s.read_to_string(&mut answer);
    answer.lines().next().unwrap_or("").to_string()
}

#[test]
fn an_idle_connection_is_closed_after_the_timeout() {
    let addr = emulator();
    // Connected, and nothing sent.
    let mut idle = TcpStream::connect(addr).unwrap();
    let took = closed_within(&mut idle, Duration::from_secs(5)).expect("still open after 5 s");
    assert!(took < Duration::from_secs(3), "{took:?}");
    // A head that never ends (slowloris) is cut off by the header-read timeout.
    let mut slow = TcpStream::connect(addr).unwrap();
    slow.write_all(b"GET /?Action=ListKeys HTTP/1.1\r\nHost: kms\r\n")
        .unwrap();
    assert!(closed_within(&mut slow, Duration::from_secs(5)).is_some());
}

#[test]
fn a_half_sent_body_is_closed_after_the_timeout() {
    let addr = emulator();
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(b"POST /?Action=ListKeys HTTP/1.1\r\nHost: kms\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000000\r\n\r\n")
        .unwrap();
    s.write_all(&[b'a'; 1000]).unwrap();
    let took = closed_within(&mut s, Duration::from_secs(5)).expect("still open after 5 s");
    assert!(took < Duration::from_secs(3), "{took:?}");
}

#[test]
fn a_too_large_body_gets_an_error_answer() {
    let addr = emulator();
    let mut s = TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    s.write_all(b"POST /?Action=ListKeys HTTP/1.1\r\nHost: kms\r\nContent-Length: 2000000\r\n\r\n")
        .unwrap();
    let mut buf = [0u8; 4096];
    let n = s.read(&mut buf).unwrap();
    let answer = String::from_utf8_lossy(&buf[..n]);
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
}

#[test]
fn slowloris_connections_at_the_cap_do_not_stop_a_normal_request() {
    let addr = emulator();
    // Twice the cap of connections that send half a head and then nothing.
    let mut held = Vec::new();
    for _ in 0..LIMITS.max_connections * 2 {
        let mut s = TcpStream::connect(addr).unwrap();
        let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: kms\r\nX-Slow: ");
        held.push(s);
    }
    let started = Instant::now();
    let status = list_keys(addr);
    let took = started.elapsed();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(5), "served after {took:?}");
    // The slow connections themselves were closed, not kept.
    let mut first = held.remove(0);
    assert!(closed_within(&mut first, Duration::from_secs(5)).is_some());
}

/// `specgate serve` under a file-descriptor limit below the number of slowloris connections
/// (the reported case: 300 connections, `ulimit -n 256`): a normal request is still served.
#[test]
fn serve_under_a_descriptor_limit_still_serves_behind_slowloris() {
    use std::io::BufRead;
    let bin = env!("CARGO_BIN_EXE_specgate");
    let mut child = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -n 64 && exec '{bin}' serve --port 0 --threads 1 --max-connections 32 --header-timeout 0.5 --idle-timeout 1"
        ))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line.trim().rsplit(' ').next().unwrap().to_string();
    let addr: SocketAddr = url.trim_start_matches("http://").parse().unwrap();
    let mut held = Vec::new();
    for _ in 0..100 {
        if let Ok(mut s) = TcpStream::connect(addr) {
            let _ = s.write_all(b"GET / HTTP/1.1\r\nHost: kms\r\n");
            held.push(s);
        }
    }
    // More slow connections than the cap, or the check below proves nothing.
    assert!(
        held.len() > 32,
        "only {} slow connections were made",
        held.len()
    );
    let started = Instant::now();
    let status = list_keys(addr);
    let took = started.elapsed();
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(took < Duration::from_secs(8), "served after {took:?}");
}
