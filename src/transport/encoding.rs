//! How paths and queries are written on the wire.

use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};

use crate::errors::Error;
use crate::value::JsValue;

/// `encodeURIComponent`'s set: everything but `A–Z a–z 0–9 - _ . ! ~ * ' ( )` is escaped.
const COMPONENT: &AsciiSet =
  &NON_ALPHANUMERIC.remove(b'-').remove(b'_').remove(b'.').remove(b'!').remove(b'~').remove(b'*').remove(b'\'').remove(b'(').remove(b')');

/// One path segment from a caller-supplied id. The official SDK interpolates ids raw, so
/// `a/b` or `x?y` change the request's meaning; here they are percent-encoded, and `.`/`..`
/// (which URL normalisation would resolve away) are refused.
pub fn path_segment(name: &str, id: &str) -> Result<String, Error> {
  if id.is_empty() || id == "." || id == ".." {
    return Err(Error::type_error(format!("{} must be a non-empty id, not {:?}", name, id)));
  }
  Ok(utf8_percent_encode(id, COMPONENT).to_string())
}

/// A query, as `new URLSearchParams(sanitized).toString()` writes it in the official SDK:
/// entries whose value is `null`, `undefined` or `''` are dropped when written; everything else
/// is `String(value)` (arrays comma-joined), form-encoded, in insertion order. A key set again
/// keeps its first position, as object spread does, even when its earlier value was dropped.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Query {
  pairs: Vec<(String, JsValue)>,
}

impl Query {
  pub fn new() -> Self {
    Self::default()
  }

  pub fn set(&mut self, key: &str, value: JsValue) {
    match self.pairs.iter_mut().find(|(k, _)| k == key) {
      Some(slot) => slot.1 = value,
      None => self.pairs.push((key.to_string(), value)),
    }
  }

  /// The value as it would be sent, `None` when the entry is dropped.
  pub fn get(&self, key: &str) -> Option<String> {
    self.pairs.iter().find(|(k, _)| k == key).and_then(|(_, v)| written(v))
  }

  pub fn encode(&self) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    for (k, v) in &self.pairs {
      if let Some(v) = written(v) {
        s.append_pair(k, &v);
      }
    }
    s.finish()
  }
}

fn written(v: &JsValue) -> Option<String> {
  match v {
    JsValue::Undefined | JsValue::Null => None,
    JsValue::String(s) if s.is_empty() => None,
    v => Some(v.to_js_string()),
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn segments_are_encoded_like_encode_uri_component() {
    assert_eq!(path_segment("id", "org_1").unwrap(), "org_1");
    assert_eq!(path_segment("id", "a/b?c#d").unwrap(), "a%2Fb%3Fc%23d");
    assert_eq!(path_segment("id", "ext 1 2").unwrap(), "ext%201%202");
    assert_eq!(path_segment("id", "é~*'()").unwrap(), "%C3%A9~*'()");
    assert!(path_segment("id", "..").is_err());
    assert!(path_segment("id", "").is_err());
  }

  #[test]
  fn query_matches_url_search_params() {
    let mut q = Query::new();
    q.set("email", JsValue::str("a b+c@x.com"));
    q.set("organization_id", JsValue::str("org_1"));
    q.set("after", JsValue::str(""));
    q.set("before", JsValue::Null);
    q.set("limit", JsValue::Number(0.0));
    q.set("domains", JsValue::Array(vec![JsValue::str("a.com"), JsValue::str("b.com")]));
    q.set("flag", JsValue::Bool(false));
    assert_eq!(q.encode(), "email=a+b%2Bc%40x.com&organization_id=org_1&limit=0&domains=a.com%2Cb.com&flag=false");
    assert_eq!(Query::new().encode(), "");
  }

  #[test]
  fn a_key_set_again_keeps_its_position() {
    let mut q = Query::new();
    q.set("order", JsValue::Undefined);
    q.set("a", JsValue::str("1"));
    q.set("order", JsValue::str("desc"));
    assert_eq!(q.encode(), "order=desc&a=1");
    assert_eq!(q.get("a").as_deref(), Some("1"));
  }
}
