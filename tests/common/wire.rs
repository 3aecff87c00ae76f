//! HTTP/1.1 on the wire for the test peers (`scripted.rs`, `routed.rs`): reading one request
//! off a keep-alive connection and writing one JSON answer.

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Reads one request (head, then a `Content-Length` body) off `sock`; bytes after it stay in
/// `buf` for the next call. `None` when the connection ends, or when the client speaks TLS (a
/// ClientHello is answered with a 400, as a plain HTTP server would).
pub async fn read_request(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<(String, String)> {
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        fill(sock, buf).await?;
        if buf.first() == Some(&0x16) {
            let _ = sock
                .write_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
                .await;
            return None;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_string();
    let len = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("content-length")
                .then(|| v.trim().parse::<usize>().ok())
                .flatten()
        })
        .unwrap_or(0);
    while buf.len() < head_end + len {
        fill(sock, buf).await?;
    }
    let body = String::from_utf8_lossy(&buf[head_end..head_end + len]).to_string();
    buf.drain(..head_end + len);
    Some((head, body))
}

async fn fill(sock: &mut TcpStream, buf: &mut Vec<u8>) -> Option<()> {
    let mut chunk = [0u8; 4096];
    match sock.read(&mut chunk).await {
        Ok(0) | Err(_) => None,
        Ok(n) => {
            buf.extend_from_slice(&chunk[..n]);
            Some(())
        }
    }
}

/// Writes one JSON answer; `extra` holds whole header lines (each ending in `\r\n`). False when
/// the connection is gone.
pub async fn write_json(sock: &mut TcpStream, status: u16, extra: &str, body: &str) -> bool {
    let resp = format!(
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n{extra}\r\n{body}",
        body.len()
    );
    sock.write_all(resp.as_bytes()).await.is_ok()
}
