//! A scripted HTTP/1.1 server on 127.0.0.1 for the core's unit tests: it answers each
//! connection's requests from a queue of canned replies and records what it received.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

#[derive(Clone, Debug)]
pub enum Reply {
  /// Status, extra headers, body (served as JSON).
  Json(u16, Vec<(&'static str, String)>, String),
  /// Raw bytes written as they are (status line included).
  Raw(String),
  /// Close the connection without answering.
  Hangup,
  /// Headers at once, then the body after a pause.
  SlowBody(Duration, String),
}

#[derive(Clone, Debug)]
#[allow(dead_code)]
pub struct Received {
  pub method: String,
  pub target: String,
  pub headers: Vec<(String, String)>,
  pub body: String,
}

impl Received {
  pub fn header(&self, name: &str) -> Option<&str> {
    self.headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
  }
}

pub struct TestServer {
  pub base_url: String,
  pub received: Arc<Mutex<Vec<Received>>>,
}

/// Serves `replies` in order (the last one repeats).
pub async fn serve(replies: Vec<Reply>) -> TestServer {
  let replies = Mutex::new(replies);
  serve_with(move |_| {
    let mut r = replies.lock().unwrap();
    if r.len() > 1 { r.remove(0) } else { r[0].clone() }
  })
  .await
}

/// Answers each request with `handler(request)`.
pub async fn serve_with(handler: impl Fn(&Received) -> Reply + Send + Sync + 'static) -> TestServer {
  let handler = Arc::new(handler);
  let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
  let base_url = format!("http://{}", listener.local_addr().unwrap());
  let received = Arc::new(Mutex::new(Vec::new()));
  let log = received.clone();
  tokio::spawn(async move {
    loop {
      let Ok((mut sock, _)) = listener.accept().await else { return };
      let (log, handler) = (log.clone(), handler.clone());
      tokio::spawn(async move {
        let mut buf = Vec::new();
        loop {
          let Some(req) = read_request(&mut sock, &mut buf).await else { return };
          let reply = handler(&req);
          log.lock().unwrap().push(req);
          match reply {
            Reply::Hangup => return,
            Reply::Raw(raw) => {
              let _ = sock.write_all(raw.as_bytes()).await;
            }
            Reply::Json(status, headers, body) => {
              let mut head = format!("HTTP/1.1 {} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n", status, body.len());
              for (k, v) in headers {
                head.push_str(&format!("{}: {}\r\n", k, v));
              }
              head.push_str("\r\n");
              let _ = sock.write_all(head.as_bytes()).await;
              let _ = sock.write_all(body.as_bytes()).await;
            }
            Reply::SlowBody(pause, body) => {
              let head = format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
              let _ = sock.write_all(head.as_bytes()).await;
              tokio::time::sleep(pause).await;
              let _ = sock.write_all(body.as_bytes()).await;
            }
          }
        }
      });
    }
  });
  TestServer { base_url, received }
}

async fn read_request(sock: &mut tokio::net::TcpStream, buf: &mut Vec<u8>) -> Option<Received> {
  loop {
    if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
      let head = String::from_utf8_lossy(&buf[..end]).to_string();
      let mut lines = head.split("\r\n");
      let mut first = lines.next()?.split(' ');
      let (method, target) = (first.next()?.to_string(), first.next()?.to_string());
      let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':').map(|(k, v)| (k.trim().to_lowercase(), v.trim().to_string())))
        .collect();
      let len = headers.iter().find(|(k, _)| k == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0usize);
      while buf.len() < end + 4 + len {
        let mut chunk = [0u8; 4096];
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
          return None;
        }
        buf.extend_from_slice(&chunk[..n]);
      }
      let body = String::from_utf8_lossy(&buf[end + 4..end + 4 + len]).to_string();
      buf.drain(..end + 4 + len);
      return Some(Received { method, target, headers, body });
    }
    let mut chunk = [0u8; 4096];
    let n = sock.read(&mut chunk).await.ok()?;
    if n == 0 {
      return None;
    }
    buf.extend_from_slice(&chunk[..n]);
  }
}
