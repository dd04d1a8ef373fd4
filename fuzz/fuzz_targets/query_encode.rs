//! The query writer on arbitrary keys and values: what `encode()` writes parses back
//! (`application/x-www-form-urlencoded`) to the pairs the rules give: a key keeps its first
//! position and last value; `null`, `undefined` and `''` are dropped; the rest is `String(v)`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use workos_native::transport::encoding::Query;
use workos_native::value::{number_to_string, JsValue};

#[derive(Arbitrary, Debug)]
enum Value {
  Undefined,
  Null,
  Bool(bool),
  Number(f64),
  Str(String),
  Array(Vec<Value>),
}

impl Value {
  fn js(&self) -> JsValue {
    match self {
      Value::Undefined => JsValue::Undefined,
      Value::Null => JsValue::Null,
      Value::Bool(b) => JsValue::Bool(*b),
      Value::Number(n) => JsValue::Number(*n),
      Value::Str(s) => JsValue::str(s.as_str()),
      Value::Array(items) => JsValue::Array(items.iter().map(Value::js).collect()),
    }
  }

  /// `String(v)`, written out again.
  fn string(&self) -> String {
    match self {
      Value::Undefined => "undefined".into(),
      Value::Null => "null".into(),
      Value::Bool(b) => b.to_string(),
      Value::Number(n) => number_to_string(*n),
      Value::Str(s) => s.clone(),
      Value::Array(items) => items
        .iter()
        .map(|i| if matches!(i, Value::Undefined | Value::Null) { String::new() } else { i.string() })
        .collect::<Vec<_>>()
        .join(","),
    }
  }

  fn dropped(&self) -> bool {
    matches!(self, Value::Undefined | Value::Null) || matches!(self, Value::Str(s) if s.is_empty())
  }
}

fuzz_target!(|sets: Vec<(String, Value)>| {
  let mut q = Query::new();
  let mut model: Vec<(String, &Value)> = Vec::new();
  for (k, v) in &sets {
    q.set(k, v.js());
    match model.iter_mut().find(|(mk, _)| mk == k) {
      Some(slot) => slot.1 = v,
      None => model.push((k.clone(), v)),
    }
  }
  let expected: Vec<(String, String)> = model.iter().filter(|(_, v)| !v.dropped()).map(|(k, v)| (k.clone(), v.string())).collect();
  let encoded = q.encode();
  let parsed: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes()).into_owned().collect();
  assert_eq!(parsed, expected, "{encoded}");
});
