use std::time::{Duration, Instant};

use super::*;
use crate::test_server::{serve, Reply};

fn transport(base_url: &str, max_retries: u32, timeout_ms: u64) -> Transport {
  let mut retry = RetryPolicy::default().with_max(Some(max_retries));
  // Keep backoff short in tests; the formula itself is tested in retry.rs.
  retry.base = Duration::from_millis(10);
  Transport::new(Config {
    api_key: Some("sk_test".into()),
    base_url: base_url.into(),
    headers: vec![("X-Extra".into(), "1".into())],
    user_agent: user_agent("node/v20", None),
    timeout: Duration::from_millis(timeout_ms),
    retry,
  })
  .unwrap()
}

fn ok(body: &str) -> Reply {
  Reply::Json(200, vec![], body.into())
}

#[tokio::test]
async fn sends_the_official_headers_and_reads_json() {
  let server = serve(vec![ok(r#"{"id":"org_1"}"#)]).await;
  let t = transport(&server.base_url, 3, 5000);
  let res = t.send(&Request::new(Method::Get, "/organizations/org_1".into())).await.unwrap();
  assert_eq!(res.json().unwrap().get("id"), &JsValue::str("org_1"));
  let got = server.received.lock().unwrap()[0].clone();
  assert_eq!(got.target, "/organizations/org_1");
  assert_eq!(got.header("authorization"), Some("Bearer sk_test"));
  assert_eq!(got.header("content-type"), Some("application/json"));
  assert_eq!(got.header("accept"), Some("application/json, text/plain, */*"));
  assert_eq!(got.header("x-extra"), Some("1"));
  assert!(got.header("user-agent").unwrap().starts_with("workos-native/"));
  assert_eq!(got.header("idempotency-key"), None);
}

#[tokio::test]
async fn retries_503_then_succeeds_with_one_idempotency_key() {
  let server = serve(vec![
    Reply::Json(503, vec![], "{}".into()),
    Reply::Json(503, vec![], "{}".into()),
    ok("{}"),
  ])
  .await;
  let t = transport(&server.base_url, 3, 5000);
  let req = Request::new(Method::Post, "/organizations".into()).with_json(&JsValue::object(vec![]));
  t.send(&req).await.unwrap();
  let got = server.received.lock().unwrap().clone();
  assert_eq!(got.len(), 3);
  let key = got[0].header("idempotency-key").unwrap().to_string();
  assert!(key.starts_with("workos-native-retry-"));
  assert!(got.iter().all(|r| r.header("idempotency-key") == Some(key.as_str())));
}

#[tokio::test]
async fn honours_retry_after_and_reports_the_last_429() {
  let server = serve(vec![Reply::Json(429, vec![("Retry-After", "1".into()), ("X-Request-ID", "req_7".into())], r#"{"message":"slow down"}"#.into())]).await;
  let t = transport(&server.base_url, 1, 5000);
  let started = Instant::now();
  let err = t.send(&Request::new(Method::Get, "/x".into())).await.unwrap_err();
  assert!(started.elapsed() >= Duration::from_millis(950), "waited {:?}", started.elapsed());
  assert_eq!(server.received.lock().unwrap().len(), 2);
  assert_eq!(
    err,
    Error::Exception {
      class: "RateLimitExceededException",
      args: vec![JsValue::str("slow down"), JsValue::str("req_7"), JsValue::Number(1.0)]
    }
  );
}

#[tokio::test]
async fn no_retry_for_client_errors_or_when_disabled() {
  let server = serve(vec![Reply::Json(404, vec![], r#"{"message":"gone"}"#.into())]).await;
  let t = transport(&server.base_url, 3, 5000);
  assert_eq!(t.send(&Request::new(Method::Get, "/a".into())).await.unwrap_err().class(), "NotFoundException");
  assert_eq!(server.received.lock().unwrap().len(), 1);

  let server = serve(vec![Reply::Json(500, vec![], "{}".into())]).await;
  let t = transport(&server.base_url, 0, 5000);
  assert_eq!(t.send(&Request::new(Method::Get, "/a".into())).await.unwrap_err().status(), Some(500));
  assert_eq!(server.received.lock().unwrap().len(), 1);
  // No generated idempotency key when retries are off.
  let server = serve(vec![ok("{}")]).await;
  let t = transport(&server.base_url, 0, 5000);
  t.send(&Request::new(Method::Post, "/a".into()).with_empty_body()).await.unwrap();
  assert_eq!(server.received.lock().unwrap()[0].header("idempotency-key"), None);
}

#[tokio::test]
async fn a_hangup_is_retried_then_reported_as_a_network_error() {
  let server = serve(vec![Reply::Hangup, ok(r#"{"a":1}"#)]).await;
  let t = transport(&server.base_url, 2, 5000);
  t.send(&Request::new(Method::Get, "/a".into())).await.unwrap();

  let server = serve(vec![Reply::Hangup]).await;
  let t = transport(&server.base_url, 1, 5000);
  let err = t.send(&Request::new(Method::Get, "/a".into())).await.unwrap_err();
  assert!(err.is_network(), "{err:?}");
  assert!(err.to_string().starts_with("Unexpected error: "));
}

#[tokio::test]
async fn the_timeout_covers_a_slow_body() {
  let server = serve(vec![Reply::SlowBody(Duration::from_millis(800), "{}".into())]).await;
  let t = transport(&server.base_url, 0, 200);
  let started = Instant::now();
  let err = t.send(&Request::new(Method::Get, "/slow".into())).await.unwrap_err();
  assert_eq!(err, errors::timeout_error());
  assert!(started.elapsed() < Duration::from_millis(700));
}

#[tokio::test]
async fn bodies_that_are_not_json_are_parse_errors() {
  let server = serve(vec![Reply::Raw("HTTP/1.1 503 X\r\ncontent-type: text/html\r\nx-request-id: req_h\r\ncontent-length: 6\r\n\r\n<html>".into())]).await;
  let t = transport(&server.base_url, 0, 5000);
  let err = t.send(&Request::new(Method::Get, "/a".into())).await.unwrap_err();
  let payload = err.to_payload();
  assert_eq!(payload.get("cause").get("class"), &JsValue::str("ParseError"));
  assert_eq!(payload.get("cause").get("args").to_js_string(), "[object Object]");

  let server = serve(vec![ok("{broken")]).await;
  let t = transport(&server.base_url, 0, 5000);
  let res = t.send(&Request::new(Method::Get, "/a".into())).await.unwrap();
  assert!(matches!(res.json(), Err(Error::Unexpected { .. })));
}

#[tokio::test]
async fn no_request_without_an_api_key() {
  let server = serve(vec![ok("{}")]).await;
  let mut t = transport(&server.base_url, 0, 5000);
  t.config.api_key = None;
  let err = t.send(&Request::new(Method::Get, "/organizations".into())).await.unwrap_err();
  assert_eq!(err.class(), "ApiKeyRequiredException");
  assert!(server.received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn redirects_are_not_followed() {
  let server = serve(vec![Reply::Raw("HTTP/1.1 302 Found\r\nlocation: http://127.0.0.2:9/steal\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}".into())]).await;
  let t = transport(&server.base_url, 0, 5000);
  let err = t.send(&Request::new(Method::Get, "/a".into())).await.unwrap_err();
  assert_eq!(err.class(), "GenericServerException");
  assert_eq!(server.received.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_without_reading_it() {
  let declared = MAX_BODY_BYTES + 1;
  let server = serve(vec![Reply::Raw(format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {declared}\r\n\r\n{{"))]).await;
  let t = transport(&server.base_url, 3, 5000);
  let err = t.send(&Request::new(Method::Get, "/big".into())).await.unwrap_err();
  assert!(err.to_string().contains("larger than 64 MiB"), "{err}");
  // Not retried: the answer would be the same.
  assert_eq!(server.received.lock().unwrap().len(), 1);
}
