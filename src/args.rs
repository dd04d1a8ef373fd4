//! Checking what JavaScript passed, before anything is sent. Every complaint is a `TypeError`
//! that names the argument (`options.name must be a string, got number`).

use crate::errors::Error;
use crate::value::{JsObject, JsValue};

pub fn type_name(v: &JsValue) -> &'static str {
  match v {
    JsValue::Undefined => "undefined",
    JsValue::Null => "null",
    JsValue::Bool(_) => "boolean",
    JsValue::Number(_) => "number",
    JsValue::String(_) => "string",
    JsValue::Array(_) => "array",
    JsValue::Object(_) => "object",
    JsValue::Date(_) => "Date",
  }
}

fn wrong(name: &str, expected: &str, got: &JsValue) -> Error {
  Error::type_error(format!("{} must be {}, got {}", name, expected, type_name(got)))
}

/// The `n`th positional argument, `undefined` when absent.
pub fn nth(args: &[JsValue], n: usize) -> &JsValue {
  args.get(n).unwrap_or(&JsValue::Undefined)
}

/// A required string argument such as an id.
pub fn string<'a>(v: &'a JsValue, name: &str) -> Result<&'a str, Error> {
  match v {
    JsValue::String(s) => Ok(s),
    other => Err(wrong(name, "a string", other)),
  }
}

/// An options object; `undefined` reads as `{}` when the argument is optional.
pub fn options<'a>(v: &'a JsValue, name: &'a str, required: bool) -> Result<Fields<'a>, Error> {
  static EMPTY: std::sync::OnceLock<JsObject> = std::sync::OnceLock::new();
  match v {
    JsValue::Object(o) => Ok(Fields { obj: o, name }),
    JsValue::Undefined if !required => Ok(Fields { obj: EMPTY.get_or_init(JsObject::new), name }),
    other => Err(wrong(name, "an object", other)),
  }
}

/// The fields of one options object, read with their expected types.
#[derive(Clone, Copy)]
pub struct Fields<'a> {
  pub obj: &'a JsObject,
  pub name: &'a str,
}

impl<'a> Fields<'a> {
  fn path(&self, key: &str) -> String {
    format!("{}.{}", self.name, key)
  }

  pub fn raw(&self, key: &str) -> &'a JsValue {
    self.obj.get(key)
  }

  fn check(&self, key: &str, expected: &str, ok: impl Fn(&JsValue) -> bool) -> Result<JsValue, Error> {
    let v = self.obj.get(key);
    if v.is_undefined() || ok(v) {
      Ok(v.clone())
    } else {
      Err(wrong(&self.path(key), expected, v))
    }
  }

  /// A string or `undefined`.
  pub fn string(&self, key: &str) -> Result<JsValue, Error> {
    self.check(key, "a string", |v| matches!(v, JsValue::String(_)))
  }

  /// A string, `null` or `undefined`.
  pub fn nullable_string(&self, key: &str) -> Result<JsValue, Error> {
    self.check(key, "a string or null", |v| matches!(v, JsValue::String(_) | JsValue::Null))
  }

  pub fn required_string(&self, key: &str) -> Result<String, Error> {
    match self.obj.get(key) {
      JsValue::String(s) => Ok(s.to_string()),
      other => Err(wrong(&self.path(key), "a string", other)),
    }
  }

  pub fn number(&self, key: &str) -> Result<JsValue, Error> {
    match self.obj.get(key) {
      JsValue::Number(n) if !n.is_finite() => Err(Error::type_error(format!("{} must be a finite number, got {}", self.path(key), crate::value::number_to_string(*n)))),
      _ => self.check(key, "a number", |v| matches!(v, JsValue::Number(_))),
    }
  }

  pub fn boolean(&self, key: &str) -> Result<JsValue, Error> {
    self.check(key, "a boolean", |v| matches!(v, JsValue::Bool(_)))
  }

  /// An array of strings or `undefined`.
  pub fn strings(&self, key: &str) -> Result<JsValue, Error> {
    self.check(key, "an array of strings", |v| {
      matches!(v, JsValue::Array(items) if items.iter().all(|i| matches!(i, JsValue::String(_))))
    })
  }

  /// A plain object (sent verbatim), `null` or `undefined`.
  pub fn nullable_object(&self, key: &str) -> Result<JsValue, Error> {
    self.check(key, "an object or null", |v| matches!(v, JsValue::Object(_) | JsValue::Null))
  }

  /// A cursor (`before`/`after`): string, null or undefined.
  pub fn cursor(&self, key: &str) -> Result<JsValue, Error> {
    self.nullable_string(key)
  }

  /// `limit`, `before`, `after`, `order`, checked for type.
  pub fn check_pagination(&self) -> Result<(), Error> {
    self.number("limit")?;
    self.cursor("before")?;
    self.cursor("after")?;
    self.string("order")?;
    Ok(())
  }
}

/// `{ idempotencyKey?, maxRetries? }`, the request options of write calls.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct RequestOptions {
  pub idempotency_key: Option<String>,
  pub max_retries: Option<u32>,
}

pub fn request_options(v: &JsValue, name: &str) -> Result<RequestOptions, Error> {
  let f = options(v, name, false)?;
  let key = f.string("idempotencyKey")?;
  let max = f.number("maxRetries")?;
  let max_retries = match max {
    JsValue::Number(n) if n >= 0.0 && n.fract() == 0.0 && n <= 100.0 => Some(n as u32),
    JsValue::Number(_) => return Err(Error::type_error(format!("{}.maxRetries must be a whole number from 0 to 100", name))),
    _ => None,
  };
  Ok(RequestOptions {
    idempotency_key: key.as_str().filter(|k| !k.is_empty()).map(str::to_string),
    max_retries,
  })
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn errors_name_the_argument() {
    let opts = JsValue::object(vec![("name", JsValue::Number(1.0))]);
    let f = options(&opts, "payload", true).unwrap();
    assert_eq!(f.string("name").unwrap_err(), Error::Type("payload.name must be a string, got number".into()));
    assert_eq!(f.string("missing").unwrap(), JsValue::Undefined);
    assert!(options(&JsValue::Undefined, "payload", true).is_err());
    assert!(options(&JsValue::Undefined, "options", false).is_ok());
    assert_eq!(string(&JsValue::Null, "id").unwrap_err(), Error::Type("id must be a string, got null".into()));
  }

  #[test]
  fn request_options_read() {
    let v = JsValue::object(vec![("idempotencyKey", JsValue::str("k")), ("maxRetries", JsValue::Number(0.0))]);
    assert_eq!(request_options(&v, "requestOptions").unwrap(), RequestOptions { idempotency_key: Some("k".into()), max_retries: Some(0) });
    let bad = JsValue::object(vec![("maxRetries", JsValue::Number(-1.0))]);
    assert!(request_options(&bad, "requestOptions").is_err());
  }
}
