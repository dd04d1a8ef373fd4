//! `workos.auditLogs.createEvent` (sdk-8.13-surface.md §7).

use super::{Call, Operation, Output, Prepared};
use crate::args::{self, nth};
use crate::errors::Error;
use crate::transport::{Method, Request};
use crate::value::{iso_string, JsValue};

pub static OPERATIONS: &[Operation] = &[Operation::call("auditLogs", "createEvent", create_event)];

fn create_event(a: &[JsValue]) -> Result<Prepared, Error> {
  let organization = args::string(nth(a, 0), "organization")?;
  let event = args::options(nth(a, 1), "event", true)?;
  let ro = args::request_options(nth(a, 2), "options")?;
  let action = event.required_string("action")?;
  let context = args::options(event.raw("context"), "event.context", true)?;
  let body = JsValue::object(vec![
    (
      "event",
      JsValue::object(vec![
        ("action", JsValue::str(action)),
        ("version", event.number("version")?),
        ("occurred_at", JsValue::str(occurred_at(event.raw("occurredAt"))?)),
        ("actor", event.nullable_object("actor")?),
        ("targets", targets(event.raw("targets"))?),
        ("context", JsValue::object(vec![("location", context.string("location")?), ("user_agent", context.string("userAgent")?)])),
        ("metadata", event.nullable_object("metadata")?),
      ]),
    ),
    ("organization_id", JsValue::str(organization)),
  ]);
  // One key per logical event, reused by every retry, so an event is recorded once.
  let key = ro.idempotency_key.unwrap_or_else(|| format!("workos-native-{}", uuid::Uuid::new_v4()));
  let mut request = Request::new(Method::Post, "/audit_logs/events".into()).with_json(&body).with_idempotency_key(Some(key));
  request.max_retries = ro.max_retries;
  Ok(Prepared::Call(Call::new(request, Output::Void)))
}

fn targets(v: &JsValue) -> Result<JsValue, Error> {
  match v {
    JsValue::Undefined | JsValue::Array(_) => Ok(v.clone()),
    other => Err(Error::type_error(format!("event.targets must be an array, got {}", args::type_name(other)))),
  }
}

/// `occurredAt`: a valid `Date`, or an ISO 8601 date-time string; sent as `toISOString()`.
fn occurred_at(v: &JsValue) -> Result<String, Error> {
  let invalid = || Error::type_error("event.occurredAt must be a valid Date or an ISO 8601 date-time string");
  match v {
    JsValue::Date(ms) => iso_string(*ms).ok_or_else(invalid),
    JsValue::String(s) => parse_iso(s).and_then(iso_string).ok_or_else(invalid),
    _ => Err(invalid()),
  }
}

/// Milliseconds since the epoch of `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM)`.
fn parse_iso(s: &str) -> Option<f64> {
  let b = s.as_bytes();
  let num = |from: usize, len: usize| -> Option<i64> {
    let part = s.get(from..from + len)?;
    part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
  };
  if b.len() < 17 || b[4] != b'-' || b[7] != b'-' || !(b[10] == b'T' || b[10] == b't') || b[13] != b':' {
    return None;
  }
  let (y, mo, d, h, mi) = (num(0, 4)?, num(5, 2)?, num(8, 2)?, num(11, 2)?, num(14, 2)?);
  let mut i = 16;
  let mut sec = 0;
  let mut millis = 0f64;
  if b.get(i) == Some(&b':') {
    sec = num(i + 1, 2)?;
    i += 3;
    if b.get(i) == Some(&b'.') {
      let digits = b[i + 1..].iter().take_while(|c| c.is_ascii_digit()).count();
      if digits == 0 {
        return None;
      }
      millis = format!("0.{}", &s[i + 1..i + 1 + digits]).parse::<f64>().ok()? * 1000.0;
      i += 1 + digits;
    }
  }
  let offset_min = match &s[i..] {
    "Z" | "z" => 0,
    rest if rest.len() == 6 && (rest.starts_with('+') || rest.starts_with('-')) && &rest[3..4] == ":" => {
      let sign = if rest.starts_with('-') { -1 } else { 1 };
      sign * (num(i + 1, 2)? * 60 + num(i + 4, 2)?)
    }
    _ => return None,
  };
  if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 59 {
    return None;
  }
  let days = days_from_civil(y, mo, d);
  Some(((days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60) * 1000) as f64 + millis.floor())
}

fn days_in_month(y: i64, m: i64) -> i64 {
  match m {
    2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
    2 => 28,
    4 | 6 | 9 | 11 => 30,
    _ => 31,
  }
}

// Howard Hinnant's civil-to-days algorithm.
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
  let y = if m <= 2 { y - 1 } else { y };
  let era = y.div_euclid(400);
  let yoe = y - era * 400;
  let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
  let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
  use super::*;

  fn wire(json: &str) -> JsValue {
    JsValue::from_json(&serde_json::from_str(json).unwrap())
  }

  fn event(occurred_at: JsValue) -> JsValue {
    let mut e = wire(r#"{"action":"user.signed_in","actor":{"type":"user","id":"u"},"targets":[{"type":"team","id":"t"}],"context":{"location":"1.2.3.4"}}"#);
    if let JsValue::Object(o) = &mut e {
      o.props.insert(1, ("occurredAt".into(), occurred_at));
    }
    e
  }

  fn request(p: Prepared) -> Request {
    match p {
      Prepared::Call(c) => c.request,
      Prepared::List(_) => unreachable!(),
    }
  }

  #[test]
  fn body_is_the_official_shape() {
    let r = request(create_event(&[JsValue::str("org_1"), event(JsValue::Date(0.0))]).unwrap());
    assert_eq!(
      r.body.as_deref(),
      Some(r#"{"event":{"action":"user.signed_in","occurred_at":"1970-01-01T00:00:00.000Z","actor":{"type":"user","id":"u"},"targets":[{"type":"team","id":"t"}],"context":{"location":"1.2.3.4"}},"organization_id":"org_1"}"#)
    );
    assert!(r.idempotency_key.unwrap().starts_with("workos-native-"));
    let r = request(create_event(&[JsValue::str("o"), event(JsValue::Date(0.0)), wire(r#"{"idempotencyKey":"mine"}"#)]).unwrap());
    assert_eq!(r.idempotency_key.as_deref(), Some("mine"));
  }

  #[test]
  fn occurred_at_accepts_dates_and_iso_strings_only() {
    assert_eq!(occurred_at(&JsValue::str("2024-02-29T23:30:00+01:00")).unwrap(), "2024-02-29T22:30:00.000Z");
    assert_eq!(occurred_at(&JsValue::str("2024-01-01T00:00:00.5Z")).unwrap(), "2024-01-01T00:00:00.500Z");
    assert_eq!(occurred_at(&JsValue::str("2024-01-01T10:20Z")).unwrap(), "2024-01-01T10:20:00.000Z");
    for bad in [JsValue::str("yesterday"), JsValue::str("2023-02-29T00:00:00Z"), JsValue::Number(0.0), JsValue::Undefined, JsValue::Date(f64::NAN)] {
      assert!(occurred_at(&bad).is_err(), "{bad:?}");
    }
  }

  #[test]
  fn missing_context_is_a_type_error() {
    let e = create_event(&[JsValue::str("o"), wire(r#"{"action":"a","occurredAt":"2024-01-01T00:00:00Z"}"#)]).err().unwrap();
    assert_eq!(e, Error::Type("event.context must be an object, got undefined".into()));
  }
}
