//! A scripted HTTP/1.1 peer on 127.0.0.1 for client tests: each request gets the next [`Act`]
//! (a reply, a slow reply, a dropped connection, silence), and every request is recorded.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::net::{TcpListener, TcpStream};

#[path = "wire.rs"]
mod wire;

/// What the scripted peer does with one request.
#[derive(Clone)]
pub enum Act {
    /// Answer with status, extra header lines and body.
    Reply(u16, &'static str, String),
    /// Wait, then answer.
    SlowReply(Duration, u16, String),
    /// Close the connection without answering.
    Drop,
    /// Wait, then close the connection without answering.
    SlowDrop(Duration),
    /// Never answer (keep the connection open).
    Silent,
}

#[derive(Default)]
pub struct Script {
    pub acts: Mutex<VecDeque<Act>>,
    /// Request heads seen (request line + headers), in order.
    pub seen: Mutex<Vec<String>>,
    pub connections: Mutex<u32>,
}

impl Script {
    pub fn seen(&self) -> Vec<String> {
        self.seen.lock().unwrap().clone()
    }
}

pub async fn scripted(acts: Vec<Act>) -> (String, Arc<Script>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("addr").port();
    let script = Arc::new(Script {
        acts: Mutex::new(acts.into()),
        ..Default::default()
    });
    let s = script.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            *s.connections.lock().unwrap() += 1;
            tokio::spawn(serve_conn(sock, s.clone()));
        }
    });
    (format!("http://127.0.0.1:{port}"), script)
}

async fn serve_conn(mut sock: TcpStream, script: Arc<Script>) {
    let mut buf: Vec<u8> = Vec::new();
    while let Some((head, body)) = wire::read_request(&mut sock, &mut buf).await {
        script.seen.lock().unwrap().push(format!("{head}{body}"));
        let act = script.acts.lock().unwrap().pop_front();
        let (status, extra, body) = match act {
            Some(Act::Reply(s, h, b)) => (s, h, b),
            Some(Act::SlowReply(d, s, b)) => {
                tokio::time::sleep(d).await;
                (s, "", b)
            }
            Some(Act::Drop) => return,
            Some(Act::SlowDrop(d)) => {
                tokio::time::sleep(d).await;
                return;
            }
            Some(Act::Silent) => {
                tokio::time::sleep(Duration::from_secs(3600)).await;
                return;
            }
            None => (500, "", r#"{"detail":"script exhausted"}"#.to_owned()),
        };
        if !wire::write_json(&mut sock, status, extra, &body).await {
            return;
        }
    }
}

pub fn count(seen: &[String], prefix: &str) -> usize {
    seen.iter().filter(|h| h.starts_with(prefix)).count()
}
