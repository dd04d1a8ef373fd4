//! The HTTP client: one pooled keep-alive reqwest client per `WorkOS` instance, the official
//! SDK's headers, a timeout that covers the whole exchange (body included), and retries with
//! jittered exponential backoff that honour `Retry-After`.

pub mod encoding;
pub mod retry;

use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::errors::{self, Error};
use crate::value::JsValue;
pub use encoding::{path_segment, Query};
pub use retry::RetryPolicy;

pub const VERSION: &str = env!("CARGO_PKG_VERSION");
pub const DEFAULT_TIMEOUT_MS: u64 = 60_000;
/// The largest response body read; a larger one is refused (a WorkOS answer is far smaller).
pub const MAX_BODY_BYTES: usize = 64 * 1024 * 1024;
/// The most requests one client has on the wire at once (and so, over HTTP/1.1, about the
/// most sockets it opens); more wait their turn.
pub const MAX_IN_FLIGHT: usize = 256;
/// The longest request URL sent; an id or query value that makes a longer one is refused.
pub const MAX_URL_BYTES: usize = 32 * 1024;

#[derive(Clone)]
pub struct Config {
  pub api_key: Option<String>,
  /// `http(s)://host[:port]`, no trailing slash.
  pub base_url: String,
  /// `config.headers` from the caller, in order.
  pub headers: Vec<(String, String)>,
  pub user_agent: String,
  pub timeout: Duration,
  pub retry: RetryPolicy,
}

impl std::fmt::Debug for Config {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    // Never print the API key.
    f.debug_struct("Config")
      .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
      .field("base_url", &self.base_url)
      .field("headers", &self.headers.iter().map(|(k, _)| k).collect::<Vec<_>>())
      .field("user_agent", &self.user_agent)
      .field("timeout", &self.timeout)
      .field("retry", &self.retry)
      .finish()
  }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
  Get,
  Post,
  Put,
  Delete,
}

impl Method {
  fn as_reqwest(self) -> reqwest::Method {
    match self {
      Method::Get => reqwest::Method::GET,
      Method::Post => reqwest::Method::POST,
      Method::Put => reqwest::Method::PUT,
      Method::Delete => reqwest::Method::DELETE,
    }
  }
}

#[derive(Debug, Clone)]
pub struct Request {
  pub method: Method,
  /// Absolute and already encoded (`/organizations/org%2F1`).
  pub path: String,
  pub query: Query,
  /// JSON text; `Some("")` is an empty body (still `Content-Type: application/json`).
  pub body: Option<String>,
  pub idempotency_key: Option<String>,
  /// Per-call override of the client's `maxRetries`.
  pub max_retries: Option<u32>,
  /// Whether the API key is required and sent (`false` for the JWKS and public-client calls).
  pub authenticated: bool,
}

impl Request {
  pub fn new(method: Method, path: String) -> Request {
    Request { method, path, query: Query::new(), body: None, idempotency_key: None, max_retries: None, authenticated: true }
  }

  pub fn with_query(mut self, query: Query) -> Request {
    self.query = query;
    self
  }

  pub fn with_json(mut self, body: &JsValue) -> Request {
    self.body = Some(body.to_json_text().unwrap_or_default());
    self
  }

  pub fn with_empty_body(mut self) -> Request {
    self.body = Some(String::new());
    self
  }

  pub fn with_idempotency_key(mut self, key: Option<String>) -> Request {
    self.idempotency_key = key;
    self
  }

  /// A request that neither needs nor sends the API key.
  pub fn without_api_key(mut self) -> Request {
    self.authenticated = false;
    self
  }

  /// The path as the caller wrote it (ids decoded), for error messages.
  pub fn display_path(&self) -> String {
    percent_encoding::percent_decode_str(&self.path).decode_utf8_lossy().into_owned()
  }

  pub fn url_path_and_query(&self) -> String {
    let q = self.query.encode();
    if q.is_empty() {
      self.path.clone()
    } else {
      format!("{}?{}", self.path, q)
    }
  }
}

/// A 2xx response, read whole.
#[derive(Debug)]
pub struct Response {
  pub status: u16,
  pub content_type: String,
  pub request_id: String,
  pub body: Vec<u8>,
}

impl Response {
  /// The body as the deserializers need it: a JSON object, or a clear error when it is not.
  pub fn json(&self) -> Result<JsValue, Error> {
    // Invalid UTF-8 reads as U+FFFD, as `res.json()` reads it (`from_utf8` first: checking a
    // valid body is several times faster than the lossy path's chunking).
    let text = match std::str::from_utf8(&self.body) {
      Ok(text) => std::borrow::Cow::Borrowed(text),
      Err(_) => String::from_utf8_lossy(&self.body),
    };
    let fail = |reason: Option<&str>| errors::parse_error(reason, &text, self.status, &self.request_id);
    if !self.content_type.to_ascii_lowercase().contains("application/json") {
      return Err(fail(Some(&format!("expected a JSON body, got content-type '{}'", self.content_type))));
    }
    match serde_json::from_str::<JsValue>(&text) {
      Ok(v @ JsValue::Object(_)) => Ok(v),
      Ok(_) => Err(fail(Some("expected a JSON object"))),
      Err(e) => Err(fail(json_failure(&e))),
    }
  }
}

pub struct Transport {
  http: reqwest::Client,
  config: Config,
  /// Headers common to every request, built once.
  base_headers: HeaderMap,
  in_flight: tokio::sync::Semaphore,
}

impl Transport {
  pub fn new(config: Config) -> Result<Transport, Error> {
    let http = reqwest::Client::builder()
      .use_rustls_tls()
      // Never follow redirects: a redirect to another host would carry the API key there.
      .redirect(reqwest::redirect::Policy::none())
      .connect_timeout(config.timeout)
      .pool_idle_timeout(Duration::from_secs(90))
      .tcp_nodelay(true)
      .build()
      .map_err(|e| Error::Plain(format!("Could not create the HTTP client: {}", e)))?;
    let base_headers = base_headers(&config)?;
    Ok(Transport { http, config, base_headers, in_flight: tokio::sync::Semaphore::new(MAX_IN_FLIGHT) })
  }

  pub fn config(&self) -> &Config {
    &self.config
  }

  pub fn has_api_key(&self) -> bool {
    self.config.api_key.is_some()
  }

  /// Sends `req`, retrying as the policy allows, and returns the 2xx response or the mapped
  /// exception of the last attempt. Requests needing an API key fail before any I/O without one.
  pub async fn send(&self, req: &Request) -> Result<Response, Error> {
    if req.authenticated && !self.has_api_key() {
      return Err(errors::api_key_required(&req.display_path()));
    }
    let text = format!("{}{}", self.config.base_url, req.url_path_and_query());
    let url = match reqwest::Url::parse(&text) {
      Ok(url) if text.len() <= MAX_URL_BYTES => url,
      _ => {
        return Err(Error::type_error(format!(
          "the request URL for {} would be {} bytes, over the {} KiB a request can carry: an id or a query value is too long",
          req.display_path().chars().take(80).collect::<String>(),
          text.len(),
          MAX_URL_BYTES / 1024
        )))
      }
    };
    let policy = self.config.retry.with_max(req.max_retries);
    // A POST gets one idempotency key for all its attempts, so a retried write applies once.
    let idempotency_key = match (&req.idempotency_key, req.method) {
      (Some(k), _) if !k.is_empty() => Some(k.clone()),
      (_, Method::Post) if policy.max_retries > 0 => Some(format!("workos-native-retry-{}", uuid::Uuid::new_v4())),
      _ => None,
    };
    let mut attempt = 0;
    loop {
      let outcome = {
        let _permit = self.in_flight.acquire().await.map_err(|_| Error::Plain("the client is closed".into()))?;
        self.attempt(req, &url, idempotency_key.as_deref()).await
      };
      let (retryable, retry_after) = match &outcome {
        Ok(_) => (false, None),
        Err(Attempt::Http { status, retry_after, .. }) => (retry::retryable_status(*status), retry_after.clone()),
        Err(Attempt::Timeout) | Err(Attempt::Network(_)) => (true, None),
        Err(Attempt::TooLarge) => (false, None),
      };
      if !retryable || attempt >= policy.max_retries {
        return outcome.map_err(|e| e.into_error(&req.display_path()));
      }
      tokio::time::sleep(policy.delay(attempt, retry_after.as_deref())).await;
      attempt += 1;
    }
  }

  async fn attempt(&self, req: &Request, url: &reqwest::Url, idempotency_key: Option<&str>) -> Result<Response, Attempt> {
    let mut builder = self.http.request(req.method.as_reqwest(), url.clone()).headers(self.base_headers.clone());
    if let Some(key) = idempotency_key {
      builder = builder.header("Idempotency-Key", key);
    }
    if let Some(body) = &req.body {
      if body.is_empty() {
        // An empty POST still says so (some proxies answer 411 without a length).
        builder = builder.header(reqwest::header::CONTENT_LENGTH, "0");
      }
      builder = builder.body(body.clone());
    }
    let exchange = async {
      let mut request = builder.build().map_err(|e| Attempt::Network(describe(&e)))?;
      if !req.authenticated {
        request.headers_mut().remove(reqwest::header::AUTHORIZATION);
      }
      let res = self.http.execute(request).await.map_err(|e| Attempt::Network(describe(&e)))?;
      let status = res.status().as_u16();
      let header = |name: &str| res.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string);
      let request_id = header("x-request-id").unwrap_or_default();
      let content_type = header("content-type").unwrap_or_default();
      let retry_after = header("retry-after");
      let body = read_body(res).await?;
      if (200..300).contains(&status) {
        Ok(Response { status, content_type, request_id, body })
      } else {
        Err(Attempt::Http { status, request_id, retry_after, body })
      }
    };
    match tokio::time::timeout(self.config.timeout, exchange).await {
      Ok(r) => r,
      Err(_) => Err(Attempt::Timeout),
    }
  }
}

/// Why a body is not JSON: `None` for a syntax error (JSON.parse then says it in its own words),
/// our words for what JSON.parse would accept but this parser refuses (extreme nesting).
fn json_failure(e: &serde_json::Error) -> Option<&'static str> {
  if e.to_string().contains("recursion limit") {
    Some("the JSON is nested more than 128 levels deep")
  } else {
    None
  }
}

/// The body, chunk by chunk, refusing one larger than `MAX_BODY_BYTES`.
async fn read_body(mut res: reqwest::Response) -> Result<Vec<u8>, Attempt> {
  if res.content_length().is_some_and(|n| n > MAX_BODY_BYTES as u64) {
    return Err(Attempt::TooLarge);
  }
  let mut body = Vec::with_capacity(res.content_length().unwrap_or(0) as usize);
  while let Some(chunk) = res.chunk().await.map_err(|e| Attempt::Network(describe(&e)))? {
    if body.len() + chunk.len() > MAX_BODY_BYTES {
      return Err(Attempt::TooLarge);
    }
    body.extend_from_slice(&chunk);
  }
  Ok(body)
}

/// How one attempt failed.
enum Attempt {
  Http { status: u16, request_id: String, retry_after: Option<String>, body: Vec<u8> },
  Timeout,
  Network(String),
  /// The body exceeded `MAX_BODY_BYTES`.
  TooLarge,
}

impl Attempt {
  fn into_error(self, path: &str) -> Error {
    match self {
      Attempt::Timeout => errors::timeout_error(),
      Attempt::Network(message) => Error::Unexpected { message, cause: None },
      Attempt::TooLarge => Error::Unexpected {
        message: format!("the response body is larger than {} MiB", MAX_BODY_BYTES / (1024 * 1024)),
        cause: None,
      },
      Attempt::Http { status, request_id, retry_after, body } => {
        match serde_json::from_slice::<JsValue>(&body) {
          Ok(json) => {
            // A `null` body crashes the official mapper; read it as `{}` instead.
            let data = if json == JsValue::Null { JsValue::object(vec![]) } else { json };
            errors::exception_for_status(status, &data, path, &request_id, retry_after.as_deref())
          }
          Err(e) => errors::parse_error(json_failure(&e), &String::from_utf8_lossy(&body), status, &request_id),
        }
      }
    }
  }
}

/// A transport failure in words, with the causes reqwest chains underneath.
fn describe(e: &reqwest::Error) -> String {
  let mut msg = if e.is_connect() {
    "connection failed".to_string()
  } else if e.is_body() || e.is_decode() {
    "the response body could not be read".to_string()
  } else {
    "request failed".to_string()
  };
  let mut source = std::error::Error::source(e);
  while let Some(s) = source {
    msg.push_str(": ");
    msg.push_str(&s.to_string());
    source = s.source();
  }
  msg
}

fn base_headers(config: &Config) -> Result<HeaderMap, Error> {
  let mut headers = HeaderMap::new();
  let mut put = |name: &str, value: &str| -> Result<(), Error> {
    let name = HeaderName::from_bytes(name.as_bytes())
      .map_err(|_| Error::type_error(format!("config.headers: invalid header name {:?}", name)))?;
    let value = HeaderValue::from_str(value)
      .map_err(|_| Error::type_error(format!("config.headers: invalid value for header {:?}", name.as_str())))?;
    headers.insert(name, value);
    Ok(())
  };
  put("Accept", "application/json, text/plain, */*")?;
  put("Content-Type", "application/json")?;
  for (k, v) in &config.headers {
    put(k, v)?;
  }
  put("User-Agent", &config.user_agent)?;
  if let Some(key) = &config.api_key {
    let mut value = HeaderValue::from_str(&format!("Bearer {}", key))
      .map_err(|_| Error::type_error("apiKey: contains characters not allowed in an HTTP header"))?;
    value.set_sensitive(true);
    headers.insert(reqwest::header::AUTHORIZATION, value);
  }
  Ok(headers)
}

/// `workos-native/<version> (<runtime>/<version>)[ <app>: <version>]`.
pub fn user_agent(runtime: &str, app: Option<(&str, &str)>) -> String {
  let mut ua = format!("workos-native/{} ({})", VERSION, runtime);
  if let Some((name, version)) = app {
    ua.push_str(&format!(" {}: {}", name, version));
  }
  ua
}

#[cfg(test)]
mod tests;
