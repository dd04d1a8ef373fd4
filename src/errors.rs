//! Every failure a call can end in, and the mapping from an HTTP error response to the
//! exception class the official SDK throws for it (sdk-8.13-surface.md §2).
//!
//! An exception is described as a class name plus the arguments of that class's public
//! constructor; `index.js` owns the classes (JavaScript must, for `instanceof`) and constructs
//! them with these arguments, so user code that builds exceptions itself keeps working.

use crate::value::{JsObject, JsValue};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
  /// Bad input from JavaScript; becomes a `TypeError` naming the argument.
  #[error("{0}")]
  Type(String),
  /// A plain `Error` with this message (the official SDK throws these too).
  #[error("{0}")]
  Plain(String),
  /// One of the SDK's exception classes.
  #[error("{class}")]
  Exception { class: &'static str, args: Vec<JsValue> },
  /// `Error('Unexpected error: …')`, as the official SDK wraps transport failures, with an
  /// optional exception as its `cause` (a `ParseError` for bodies that are not JSON).
  #[error("Unexpected error: {message}")]
  Unexpected { message: String, cause: Option<Box<Error>> },
}

impl Error {
  pub fn type_error(msg: impl Into<String>) -> Error {
    Error::Type(msg.into())
  }

  pub fn class(&self) -> &str {
    match self {
      Error::Type(_) => "TypeError",
      Error::Plain(_) => "Error",
      Error::Exception { class, .. } => class,
      Error::Unexpected { .. } => "Error",
    }
  }

  /// The object `index.js` turns into a thrown error: `{ class, args }` for exceptions,
  /// `{ class: 'TypeError' | 'Error', message, cause? }` otherwise.
  pub fn to_payload(&self) -> JsValue {
    let mut o = JsObject::new();
    o.set("class", JsValue::str(self.class()));
    match self {
      Error::Type(m) | Error::Plain(m) => o.set("message", JsValue::str(m.clone())),
      Error::Exception { args, .. } => o.set("args", JsValue::Array(args.clone())),
      Error::Unexpected { message, cause } => {
        // `null`: JSON.parse's message, filled in by index.js.
        let js_message = match cause.as_deref() {
          Some(Error::Exception { class: "ParseError", args }) if args[0].get("message").is_nullish() => JsValue::Null,
          _ => JsValue::str(format!("Unexpected error: {}", message)),
        };
        o.set("message", js_message);
        if let Some(cause) = cause {
          o.set("cause", cause.to_payload());
        }
      }
    }
    JsValue::Object(o)
  }

  /// Whether a retry may help (transport failures only; HTTP statuses are judged separately).
  pub fn is_network(&self) -> bool {
    matches!(self, Error::Unexpected { cause: None, .. })
  }

  /// The HTTP status this error stands for, where it has one.
  pub fn status(&self) -> Option<u16> {
    match self {
      Error::Exception { class, args } => match *class {
        "UnauthorizedException" => Some(401),
        "NotFoundException" => Some(404),
        "ConflictException" => Some(409),
        "UnprocessableEntityException" => Some(422),
        "RateLimitExceededException" => Some(429),
        "BadRequestException" => Some(400),
        "GenericServerException" | "OauthException" => match args.first() {
          Some(JsValue::Number(n)) => Some(*n as u16),
          _ => None,
        },
        _ => None,
      },
      _ => None,
    }
  }
}

/// Maps a non-2xx response whose body parsed as JSON, exactly as the official SDK's
/// `handleHttpError` does, except that `requestID` is really read from `X-Request-ID`.
/// `path` is the request path without the query (NotFoundException's default message).
pub fn exception_for_status(
  status: u16,
  body: &JsValue,
  path: &str,
  request_id: &str,
  retry_after: Option<&str>,
) -> Error {
  let rid = JsValue::str(request_id);
  let field = |k: &str| body.get(k).clone();
  let named = |pairs: Vec<(&str, JsValue)>| JsValue::object(pairs);
  let exception = |class: &'static str, args: Vec<JsValue>| Error::Exception { class, args };
  match status {
    401 => exception("UnauthorizedException", vec![rid]),
    409 => exception(
      "ConflictException",
      vec![named(vec![("requestID", rid), ("message", field("message")), ("error", field("error"))])],
    ),
    422 => exception(
      "UnprocessableEntityException",
      vec![named(vec![
        ("code", field("code")),
        ("errors", field("errors")),
        ("message", field("message")),
        ("requestID", rid),
      ])],
    ),
    404 => exception(
      "NotFoundException",
      vec![named(vec![
        ("code", field("code")),
        ("message", field("message")),
        ("path", JsValue::str(path)),
        ("requestID", rid),
      ])],
    ),
    429 => {
      // `retryAfter ? Number(retryAfter) : null`
      let retry_after = match retry_after {
        Some(s) if !s.is_empty() => JsValue::Number(js_number(s)),
        _ => JsValue::Null,
      };
      exception("RateLimitExceededException", vec![field("message"), rid, retry_after])
    }
    _ => {
      if field("error").truthy() || field("error_description").truthy() {
        exception(
          "OauthException",
          vec![
            JsValue::Number(status as f64),
            rid,
            field("error"),
            field("error_description"),
            body.clone(),
          ],
        )
      } else if field("code").truthy() && field("errors").truthy() {
        exception(
          "BadRequestException",
          vec![named(vec![
            ("code", field("code")),
            ("errors", field("errors")),
            ("message", field("message")),
            ("requestID", rid),
          ])],
        )
      } else {
        exception("GenericServerException", vec![JsValue::Number(status as f64), field("message"), body.clone(), rid])
      }
    }
  }
}

/// A body that is not what was expected: `Error('Unexpected error: ParseError: …')` with the
/// `ParseError` as its cause, as the official SDK reports a non-JSON error body. `reason` is
/// `None` for a body that is not valid JSON: the message is then `JSON.parse`'s own, which
/// `index.js` computes (so it reads exactly as the official SDK's).
pub fn parse_error(reason: Option<&str>, raw_body: &str, raw_status: u16, request_id: &str) -> Error {
  let message = reason.map(JsValue::str).unwrap_or(JsValue::Null);
  Error::Unexpected {
    message: format!("ParseError: {}", reason.unwrap_or("the body is not valid JSON")),
    cause: Some(Box::new(Error::Exception {
      class: "ParseError",
      args: vec![JsValue::object(vec![
        ("message", message),
        ("rawBody", JsValue::str(raw_body)),
        ("rawStatus", JsValue::Number(raw_status as f64)),
        ("requestID", JsValue::str(request_id)),
      ])],
    })),
  }
}

/// The official SDK's own timeout error: an `OauthException` with status 408.
pub fn timeout_error() -> Error {
  Error::Exception {
    class: "OauthException",
    args: vec![
      JsValue::Number(408.0),
      JsValue::str(""),
      JsValue::str("Request timeout"),
      JsValue::Undefined,
      JsValue::object(vec![("error", JsValue::str("Request timeout"))]),
    ],
  }
}

pub fn api_key_required(path: &str) -> Error {
  Error::Exception { class: "ApiKeyRequiredException", args: vec![JsValue::str(path)] }
}

/// `Number(s)` for a header value: decimal (with exponent, sign, `Infinity`), or `0x`/`0o`/`0b`
/// integers; whitespace around is ignored; anything else is NaN.
fn js_number(s: &str) -> f64 {
  let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
  if t.is_empty() {
    return 0.0;
  }
  let radix = |digits: &str, base: u32| {
    if digits.is_empty() {
      return f64::NAN;
    }
    digits.chars().try_fold(0f64, |acc, c| c.to_digit(base).map(|d| acc * base as f64 + d as f64)).unwrap_or(f64::NAN)
  };
  match t.get(..2).map(str::to_ascii_lowercase).as_deref() {
    Some("0x") => return radix(&t[2..], 16),
    Some("0o") => return radix(&t[2..], 8),
    Some("0b") => return radix(&t[2..], 2),
    _ => {}
  }
  let unsigned = t.strip_prefix(['+', '-']).unwrap_or(t);
  if unsigned == "Infinity" {
    return if t.starts_with('-') { f64::NEG_INFINITY } else { f64::INFINITY };
  }
  // Rust also reads "inf", "nan" and "infinity" in any case; JavaScript does not.
  if !unsigned.bytes().all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-')) {
    return f64::NAN;
  }
  t.parse::<f64>().unwrap_or(f64::NAN)
}

#[cfg(test)]
mod tests {
  use super::*;

  fn body(json: &str) -> JsValue {
    JsValue::from_json(&serde_json::from_str(json).unwrap())
  }

  #[test]
  fn status_first_mapping() {
    let cases = [
      (401, r#"{"message":"x"}"#, "UnauthorizedException"),
      (409, r#"{"message":"x"}"#, "ConflictException"),
      (422, r#"{"message":"x"}"#, "UnprocessableEntityException"),
      (404, r#"{}"#, "NotFoundException"),
      (429, r#"{}"#, "RateLimitExceededException"),
      (400, r#"{"error":"invalid_grant","error_description":"d"}"#, "OauthException"),
      (502, r#"{"error":"x","message":"m"}"#, "OauthException"),
      (500, r#"{"code":"c","errors":[]}"#, "BadRequestException"),
      (400, r#"{"message":"only"}"#, "GenericServerException"),
      (403, r#"{"message":"no"}"#, "GenericServerException"),
      (500, r#""Ratelimited""#, "GenericServerException"),
    ];
    for (status, json, class) in cases {
      assert_eq!(exception_for_status(status, &body(json), "/p", "req_1", None).class(), class, "{status} {json}");
    }
  }

  #[test]
  fn request_id_and_retry_after() {
    let e = exception_for_status(429, &body("{}"), "/p", "req_9", Some("7"));
    assert_eq!(
      e,
      Error::Exception {
        class: "RateLimitExceededException",
        args: vec![JsValue::Undefined, JsValue::str("req_9"), JsValue::Number(7.0)]
      }
    );
    let e = exception_for_status(429, &body("{}"), "/p", "", None);
    assert!(matches!(e, Error::Exception { ref args, .. } if args[2] == JsValue::Null));
    let e = exception_for_status(429, &body("{}"), "/p", "", Some("Wed, 21 Oct 2015 07:28:00 GMT"));
    assert!(matches!(e, Error::Exception { ref args, .. } if matches!(args[2], JsValue::Number(n) if n.is_nan())));
  }

  #[test]
  fn statuses_of_exceptions() {
    assert_eq!(exception_for_status(503, &body("{}"), "/p", "", None).status(), Some(503));
    assert_eq!(exception_for_status(404, &body("{}"), "/p", "", None).status(), Some(404));
    assert_eq!(timeout_error().status(), Some(408));
  }

  #[test]
  fn parse_error_payload_names_its_cause() {
    let p = parse_error(Some("expected a JSON object"), "5", 200, "req_3").to_payload();
    assert_eq!(p.get("class"), &JsValue::str("Error"));
    assert_eq!(p.get("message"), &JsValue::str("Unexpected error: ParseError: expected a JSON object"));
    assert_eq!(p.get("cause").get("class"), &JsValue::str("ParseError"));
    // Invalid JSON: the message is left to JSON.parse.
    let p = parse_error(None, "<html>", 503, "req_3").to_payload();
    assert_eq!(p.get("message"), &JsValue::Null);
    assert_eq!(p.get("cause").get("args").to_js_string(), "[object Object]");
  }
}
