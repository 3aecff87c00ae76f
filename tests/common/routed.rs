//! A routed HTTP/1.1 peer on 127.0.0.1 for client and reader tests: every request is answered by
//! a handler from its method and target (path with query), so concurrent requests get the
//! answers meant for them whatever order they arrive in. Every request target is recorded.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use tokio::net::{TcpListener, TcpStream};

#[path = "wire.rs"]
mod wire;

/// What the handler answers: a status and a JSON body, or `None` to drop the connection.
pub type Answer = Option<(u16, String)>;

type Handler = dyn Fn(&str, &str) -> Answer + Send + Sync;

/// The peer's record of what it was asked.
#[derive(Default)]
pub struct Seen {
    /// `METHOD target`, in arrival order.
    pub requests: Mutex<Vec<String>>,
}

impl Seen {
    /// Every request so far.
    pub fn all(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }

    /// Requests whose `METHOD target` contains `needle`.
    pub fn count(&self, needle: &str) -> usize {
        self.all().iter().filter(|r| r.contains(needle)).count()
    }
}

/// Starts the peer; returns its root URL and its record.
pub async fn routed(
    handler: impl Fn(&str, &str) -> Answer + Send + Sync + 'static,
) -> (String, Arc<Seen>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let seen = Arc::new(Seen::default());
    let handler: Arc<Handler> = Arc::new(handler);
    let s = seen.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            tokio::spawn(serve(sock, handler.clone(), s.clone()));
        }
    });
    (format!("http://127.0.0.1:{port}"), seen)
}

async fn serve(mut sock: TcpStream, handler: Arc<Handler>, seen: Arc<Seen>) {
    let mut buf: Vec<u8> = Vec::new();
    while let Some((head, _body)) = wire::read_request(&mut sock, &mut buf).await {
        let mut parts = head.split_whitespace();
        let method = parts.next().unwrap_or("").to_string();
        let target = parts.next().unwrap_or("").to_string();
        seen.requests
            .lock()
            .unwrap()
            .push(format!("{method} {target}"));
        let Some((status, body)) = handler(&method, &target) else {
            return;
        };
        if !wire::write_json(&mut sock, status, "", &body).await {
            return;
        }
    }
}
