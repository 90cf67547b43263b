//! A loopback AWS JSON service on `127.0.0.1:0` for tests that need a target answering in ways
//! no emulator mode does: each request's `X-Amz-Target` and JSON body go to a function that
//! returns the status, Content-Type and body of the answer (one connection per request).

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;

use serde_json::Value;

/// What the service answers: status, Content-Type and body.
pub type Answer = (u16, &'static str, String);

/// Serves until the test process ends; returns the base URL. `answer` gets the request's
/// `X-Amz-Target` (`TrentService.ListAliases`) and its body (`null` when it is not JSON).
pub fn serve(answer: impl Fn(&str, &Value) -> Answer + Send + 'static) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(&mut stream);
            let (mut length, mut target) = (0usize, String::new());
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() {
                    break;
                }
                let h = h.trim_end();
                if h.is_empty() {
                    break;
                }
                if let Some((name, value)) = h.split_once(':') {
                    if name.eq_ignore_ascii_case("content-length") {
                        length = value.trim().parse().unwrap_or(0);
                    } else if name.eq_ignore_ascii_case("x-amz-target") {
                        target = value.trim().to_string();
                    }
                }
            }
            let mut body = vec![0; length];
            if reader.read_exact(&mut body).is_err() {
                continue;
            }
            let request: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
            let (status, content_type, text) = answer(&target, &request);
            let _ = write!(
                stream,
                "HTTP/1.1 {status} X\r\ncontent-type: {content_type}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{text}",
                text.len()
            );
        }
    });
    url
}
