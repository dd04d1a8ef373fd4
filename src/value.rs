//! A JavaScript value as the core sees it, independent of napi.
//!
//! Arguments arrive from JavaScript as `JsValue` (the binding converts them), and results leave
//! as `JsValue` (the binding builds the JS objects). Keeping JavaScript's own distinctions here
//! (`undefined` vs `null`, key order, keys present with an `undefined` value, non-enumerable
//! aliases) is what lets the returned objects equal the official SDK's under `deepStrictEqual`.

use serde_json::Value as Json;

/// Strings of values and keys: most of a WorkOS object's keys and strings (ids, ISO dates,
/// slugs) fit in its 24 inline bytes, so parsing and copying objects rarely allocates.
pub type Str = compact_str::CompactString;

#[derive(Debug, Clone, PartialEq)]
pub enum JsValue {
  Undefined,
  Null,
  Bool(bool),
  Number(f64),
  String(Str),
  Array(Vec<JsValue>),
  Object(JsObject),
  /// A JS `Date`, as milliseconds since the epoch (NaN for an invalid date).
  Date(f64),
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct JsObject {
  /// Own enumerable properties, in insertion order.
  pub props: Vec<(Str, JsValue)>,
  /// Non-enumerable properties (compatibility aliases such as `feature.key`).
  pub hidden: Vec<(Str, JsValue)>,
}

impl JsObject {
  pub fn new() -> Self {
    Self::default()
  }

  pub fn with_capacity(n: usize) -> Self {
    JsObject { props: Vec::with_capacity(n), hidden: Vec::new() }
  }

  pub fn set(&mut self, key: &str, value: JsValue) {
    if let Some(slot) = self.props.iter_mut().find(|(k, _)| k == key) {
      slot.1 = value;
    } else {
      self.props.push((Str::from(key), value));
    }
  }

  pub fn push(mut self, key: &str, value: JsValue) -> Self {
    self.set(key, value);
    self
  }

  pub fn hide(&mut self, key: &str, value: JsValue) {
    self.hidden.push((Str::from(key), value));
  }

  /// The property as JavaScript reads it: missing keys read as `undefined`.
  pub fn get(&self, key: &str) -> &JsValue {
    self.props.iter().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or(&JsValue::Undefined)
  }

  pub fn has(&self, key: &str) -> bool {
    self.props.iter().any(|(k, _)| k == key)
  }
}

/// Parsing JSON straight into `JsValue` (key order kept), without a `serde_json::Value` tree.
impl<'de> serde::Deserialize<'de> for JsValue {
  fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<JsValue, D::Error> {
    struct Visitor;
    impl<'de> serde::de::Visitor<'de> for Visitor {
      type Value = JsValue;
      fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("JSON")
      }
      fn visit_unit<E>(self) -> Result<JsValue, E> {
        Ok(JsValue::Null)
      }
      fn visit_none<E>(self) -> Result<JsValue, E> {
        Ok(JsValue::Null)
      }
      fn visit_bool<E>(self, b: bool) -> Result<JsValue, E> {
        Ok(JsValue::Bool(b))
      }
      fn visit_i64<E>(self, n: i64) -> Result<JsValue, E> {
        Ok(JsValue::Number(n as f64))
      }
      fn visit_u64<E>(self, n: u64) -> Result<JsValue, E> {
        Ok(JsValue::Number(n as f64))
      }
      fn visit_f64<E>(self, n: f64) -> Result<JsValue, E> {
        Ok(JsValue::Number(n))
      }
      fn visit_str<E>(self, s: &str) -> Result<JsValue, E> {
        Ok(JsValue::String(Str::from(s)))
      }
      fn visit_string<E>(self, s: String) -> Result<JsValue, E> {
        Ok(JsValue::String(Str::from(s)))
      }
      fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<JsValue, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element()? {
          items.push(item);
        }
        Ok(JsValue::Array(items))
      }
      fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<JsValue, A::Error> {
        let mut o = JsObject::with_capacity(map.size_hint().unwrap_or(8));
        while let Some((k, v)) = map.next_entry::<Str, JsValue>()? {
          // A repeated key keeps its first position and its last value, as JSON.parse does.
          match o.props.iter_mut().find(|(key, _)| *key == k) {
            Some(slot) => slot.1 = v,
            None => o.props.push((k, v)),
          }
        }
        Ok(JsValue::Object(o))
      }
    }
    d.deserialize_any(Visitor)
  }
}

impl JsValue {
  pub fn str(s: impl Into<Str>) -> JsValue {
    JsValue::String(s.into())
  }

  pub fn object(props: Vec<(&str, JsValue)>) -> JsValue {
    JsValue::Object(JsObject {
      props: props.into_iter().map(|(k, v)| (Str::from(k), v)).collect(),
      hidden: Vec::new(),
    })
  }

  pub fn is_undefined(&self) -> bool {
    matches!(self, JsValue::Undefined)
  }

  pub fn is_nullish(&self) -> bool {
    matches!(self, JsValue::Undefined | JsValue::Null)
  }

  /// JavaScript truthiness.
  pub fn truthy(&self) -> bool {
    match self {
      JsValue::Undefined | JsValue::Null => false,
      JsValue::Bool(b) => *b,
      JsValue::Number(n) => *n != 0.0 && !n.is_nan(),
      JsValue::String(s) => !s.is_empty(),
      _ => true,
    }
  }

  pub fn as_str(&self) -> Option<&str> {
    match self {
      JsValue::String(s) => Some(s),
      _ => None,
    }
  }

  pub fn as_object(&self) -> Option<&JsObject> {
    match self {
      JsValue::Object(o) => Some(o),
      _ => None,
    }
  }

  /// `value[key]` for objects, `undefined` otherwise.
  pub fn get(&self, key: &str) -> &JsValue {
    match self {
      JsValue::Object(o) => o.get(key),
      _ => &JsValue::Undefined,
    }
  }

  /// What JSON.parse would have produced for this wire value.
  pub fn from_json(json: &Json) -> JsValue {
    match json {
      Json::Null => JsValue::Null,
      Json::Bool(b) => JsValue::Bool(*b),
      Json::Number(n) => JsValue::Number(n.as_f64().unwrap_or(f64::NAN)),
      Json::String(s) => JsValue::String(Str::from(s.as_str())),
      Json::Array(items) => JsValue::Array(items.iter().map(JsValue::from_json).collect()),
      Json::Object(map) => JsValue::Object(JsObject {
        props: map.iter().map(|(k, v)| (Str::from(k.as_str()), JsValue::from_json(v))).collect(),
        hidden: Vec::new(),
      }),
    }
  }

  /// `String(value)` as JavaScript computes it (used for query parameters).
  pub fn to_js_string(&self) -> String {
    match self {
      JsValue::Undefined => "undefined".into(),
      JsValue::Null => "null".into(),
      JsValue::Bool(b) => b.to_string(),
      JsValue::Number(n) => number_to_string(*n),
      JsValue::String(s) => s.to_string(),
      // Array.prototype.toString: elements joined by ',', null/undefined as ''.
      JsValue::Array(items) => items
        .iter()
        .map(|v| if v.is_nullish() { String::new() } else { v.to_js_string() })
        .collect::<Vec<_>>()
        .join(","),
      JsValue::Object(_) => "[object Object]".into(),
      JsValue::Date(ms) => iso_string(*ms).unwrap_or_else(|| "Invalid Date".into()),
    }
  }

  /// `JSON.stringify(value)`, or `None` where JSON.stringify returns `undefined`.
  pub fn to_json_text(&self) -> Option<String> {
    let mut out = String::new();
    if write_json(self, &mut out) {
      Some(out)
    } else {
      None
    }
  }
}

/// One step of a path into a value: an object key or an array index.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Step<'a> {
  Key(&'a str),
  Index(usize),
}

type Hidden<'a> = (Vec<Step<'a>>, &'a str, &'a JsValue);

/// `value` for the trip to JavaScript as one JSON text, which `JSON.parse` turns into objects
/// faster than building them property by property through Node-API:
/// `{"v": value, "u": [path…], "h": [[path, name, value]…]}`, where `v` has `null` for every
/// `undefined` that `u` lists by path, and `h` lists the non-enumerable aliases to define.
/// `lib/transfer.js` decodes it.
pub fn to_transfer_text(value: &JsValue) -> String {
  let mut text = String::with_capacity(4096);
  text.push_str("{\"v\":");
  let part = encode(value, text);
  let mut text = part.text;
  write_entries(&mut text, std::iter::once((None, &part.undefined, &part.hidden)));
  text.push('}');
  text
}

/// A value encoded for a transfer text, with its `undefined` and alias entries kept apart, so
/// that values encoded one by one (a list's items, page by page as they arrive) can be joined
/// into the transfer text of the array of them (`join_transfer`).
#[derive(Debug, Clone, PartialEq)]
pub struct TransferPart {
  text: String,
  /// The paths of `undefined` values relative to the value, e.g. `"role",0` (empty: itself).
  undefined: Vec<String>,
  /// Aliases: (relative path, `"name",value`).
  hidden: Vec<(String, String)>,
}

impl TransferPart {
  pub fn of(value: &JsValue) -> TransferPart {
    encode(value, String::with_capacity(256))
  }
}

/// `to_transfer_text` of the array of the values the parts encode, in this order.
pub fn join_transfer<'a>(parts: impl Iterator<Item = &'a TransferPart> + Clone) -> String {
  let mut text = String::with_capacity(parts.clone().map(|p| p.text.len() + 1).sum::<usize>() + 16);
  text.push_str("{\"v\":[");
  for (i, part) in parts.clone().enumerate() {
    if i > 0 {
      text.push(',');
    }
    text.push_str(&part.text);
  }
  text.push(']');
  write_entries(&mut text, parts.enumerate().map(|(i, p)| (Some(i), &p.undefined, &p.hidden)));
  text.push('}');
  text
}

/// Writes `value` after what `text` holds, keeping its entries apart.
fn encode(value: &JsValue, mut text: String) -> TransferPart {
  let (mut undefined, mut hidden): (Vec<Vec<Step>>, Vec<Hidden>) = (Vec::new(), Vec::new());
  write_transfer(value, &mut text, &mut Vec::new(), &mut undefined, &mut hidden);
  let hidden = hidden
    .iter()
    .map(|(path, name, v)| {
      let mut named = String::new();
      write_json_string(name, &mut named);
      named.push(',');
      // Alias values are plain data; an `undefined` one is sent as null.
      if !write_json(v, &mut named) {
        named.push_str("null");
      }
      (path_text(path), named)
    })
    .collect();
  TransferPart { text, undefined: undefined.iter().map(|p| path_text(p)).collect(), hidden }
}

type Entries<'a> = (Option<usize>, &'a Vec<String>, &'a Vec<(String, String)>);

/// The `"u"` and `"h"` members for values at `index` of the array (`None`: the value itself).
fn write_entries<'a>(out: &mut String, values: impl Iterator<Item = Entries<'a>> + Clone) {
  let path = |out: &mut String, index: Option<usize>, relative: &str| {
    out.push('[');
    if let Some(i) = index {
      out.push_str(&i.to_string());
      if !relative.is_empty() {
        out.push(',');
      }
    }
    out.push_str(relative);
    out.push(']');
  };
  let mut first = true;
  for (index, undefined, _) in values.clone() {
    for relative in undefined {
      out.push_str(if first { ",\"u\":[" } else { "," });
      first = false;
      path(out, index, relative);
    }
  }
  if !first {
    out.push(']');
  }
  first = true;
  for (index, _, hidden) in values {
    for (relative, named) in hidden {
      out.push_str(if first { ",\"h\":[" } else { "," });
      first = false;
      out.push('[');
      path(out, index, relative);
      out.push(',');
      out.push_str(named);
      out.push(']');
    }
  }
  if !first {
    out.push(']');
  }
}

/// A path's steps, comma-separated, without brackets.
fn path_text(path: &[Step]) -> String {
  let mut out = String::new();
  for (i, step) in path.iter().enumerate() {
    if i > 0 {
      out.push(',');
    }
    match step {
      Step::Key(k) => write_json_string(k, &mut out),
      Step::Index(n) => out.push_str(&n.to_string()),
    }
  }
  out
}

fn write_transfer<'a>(v: &'a JsValue, out: &mut String, path: &mut Vec<Step<'a>>, undefined: &mut Vec<Vec<Step<'a>>>, hidden: &mut Vec<Hidden<'a>>) {
  match v {
    JsValue::Undefined => {
      out.push_str("null");
      undefined.push(path.clone());
    }
    JsValue::Array(items) => {
      out.push('[');
      for (i, item) in items.iter().enumerate() {
        if i > 0 {
          out.push(',');
        }
        path.push(Step::Index(i));
        write_transfer(item, out, path, undefined, hidden);
        path.pop();
      }
      out.push(']');
    }
    JsValue::Object(o) => {
      out.push('{');
      for (i, (k, item)) in o.props.iter().enumerate() {
        if i > 0 {
          out.push(',');
        }
        write_json_string(k, out);
        out.push(':');
        path.push(Step::Key(k));
        write_transfer(item, out, path, undefined, hidden);
        path.pop();
      }
      out.push('}');
      for (name, value) in &o.hidden {
        hidden.push((path.clone(), name, value));
      }
    }
    // Scalars (and dates) as JSON.stringify writes them.
    other => {
      write_json(other, out);
    }
  }
}

/// `Number.prototype.toString()`: the shortest digits that round-trip, written in fixed
/// notation for exponents from -7 to 20 and as `1.5e+21` / `1e-7` outside them.
pub fn number_to_string(n: f64) -> String {
  if n.is_nan() {
    return "NaN".into();
  }
  if n.is_infinite() {
    return if n > 0.0 { "Infinity".into() } else { "-Infinity".into() };
  }
  if n == 0.0 {
    return "0".into();
  }
  // Rust's `{:e}` gives the shortest round-trip digits: "1.2345e-7".
  let sci = format!("{:e}", n.abs());
  let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
  let exp: i32 = exp.parse().unwrap_or(0);
  let digits: String = mantissa.chars().filter(|c| c.is_ascii_digit()).collect();
  let k = digits.len() as i32;
  let sign = if n < 0.0 { "-" } else { "" };
  // JS's n: the position of the decimal point relative to the digits.
  let point = exp + 1;
  let body = if k <= point && point <= 21 {
    format!("{}{}", digits, "0".repeat((point - k) as usize))
  } else if 0 < point && point <= 21 {
    format!("{}.{}", &digits[..point as usize], &digits[point as usize..])
  } else if -6 < point && point <= 0 {
    format!("0.{}{}", "0".repeat((-point) as usize), digits)
  } else {
    let e = point - 1;
    let e = if e >= 0 { format!("+{}", e) } else { e.to_string() };
    if k == 1 {
      format!("{}e{}", digits, e)
    } else {
      format!("{}.{}e{}", &digits[..1], &digits[1..], e)
    }
  };
  format!("{}{}", sign, body)
}

/// `Date.prototype.toISOString()` for a millisecond timestamp.
pub fn iso_string(ms: f64) -> Option<String> {
  if !ms.is_finite() || ms.abs() > 8.64e15 {
    return None;
  }
  let ms = ms as i64;
  let days = ms.div_euclid(86_400_000);
  let rem = ms.rem_euclid(86_400_000);
  let (y, m, d) = civil_from_days(days);
  let (h, mi, s, milli) = (rem / 3_600_000, rem / 60_000 % 60, rem / 1000 % 60, rem % 1000);
  let year = if (0..=9999).contains(&y) { format!("{:04}", y) } else if y < 0 { format!("-{:06}", -y) } else { format!("+{:06}", y) };
  Some(format!("{}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", year, m, d, h, mi, s, milli))
}

// Howard Hinnant's days-to-civil algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
  let z = z + 719_468;
  let era = z.div_euclid(146_097);
  let doe = z.rem_euclid(146_097);
  let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
  let y = yoe + era * 400;
  let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  let mp = (5 * doy + 2) / 153;
  let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
  let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
  (if m <= 2 { y + 1 } else { y }, m, d)
}

fn write_json(v: &JsValue, out: &mut String) -> bool {
  match v {
    JsValue::Undefined => return false,
    JsValue::Null => out.push_str("null"),
    JsValue::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
    JsValue::Number(n) => {
      if n.is_finite() {
        out.push_str(&number_to_string(*n))
      } else {
        out.push_str("null")
      }
    }
    JsValue::String(s) => write_json_string(s, out),
    JsValue::Date(ms) => match iso_string(*ms) {
      Some(s) => write_json_string(&s, out),
      None => out.push_str("null"),
    },
    JsValue::Array(items) => {
      out.push('[');
      for (i, item) in items.iter().enumerate() {
        if i > 0 {
          out.push(',');
        }
        if !write_json(item, out) {
          out.push_str("null");
        }
      }
      out.push(']');
    }
    JsValue::Object(o) => {
      out.push('{');
      let mut first = true;
      for (k, item) in &o.props {
        if item.is_undefined() {
          continue;
        }
        if !first {
          out.push(',');
        }
        first = false;
        write_json_string(k, out);
        out.push(':');
        write_json(item, out);
      }
      out.push('}');
    }
  }
  true
}

/// `JSON.stringify(s)` for a well-formed string: `"` and `\` escaped, control characters as
/// `\b \t \n \f \r` or `\u00XX`, everything else as is; written into `out` in runs.
fn write_json_string(s: &str, out: &mut String) {
  const HEX: &[u8; 16] = b"0123456789abcdef";
  out.reserve(s.len() + 2);
  out.push('"');
  // Most strings need no escape: one pass without an early exit (which the compiler turns into
  // SIMD), then a single copy.
  let clean = s.bytes().fold(true, |clean, b| clean & (b >= 0x20) & (b != b'"') & (b != b'\\'));
  if clean {
    out.push_str(s);
    out.push('"');
    return;
  }
  let mut run = 0;
  for (i, &b) in s.as_bytes().iter().enumerate() {
    let short = match b {
      b'"' => "\\\"",
      b'\\' => "\\\\",
      b'\n' => "\\n",
      b'\r' => "\\r",
      b'\t' => "\\t",
      0x08 => "\\b",
      0x0c => "\\f",
      0x00..=0x1f => "",
      _ => continue,
    };
    out.push_str(&s[run..i]);
    run = i + 1;
    if short.is_empty() {
      out.push_str("\\u00");
      out.push(HEX[(b >> 4) as usize] as char);
      out.push(HEX[(b & 15) as usize] as char);
    } else {
      out.push_str(short);
    }
  }
  out.push_str(&s[run..]);
  out.push('"');
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn strings_are_escaped_as_json_stringify_escapes_them() {
    let mut every_ascii: String = (0u8..0x80).map(char::from).collect();
    every_ascii.push_str("é€𝄞\u{2028}\u{2029}\u{fffd}");
    for s in [every_ascii.as_str(), "", "plain", "\"", "\\", "a\u{0}b", "\u{1f}\u{7f}"] {
      let mut out = String::new();
      write_json_string(s, &mut out);
      assert_eq!(out, serde_json::to_string(s).unwrap(), "{s:?}");
    }
  }

  #[test]
  fn json_text_drops_undefined_keeps_null_and_order() {
    let v = JsValue::object(vec![
      ("name", JsValue::str("Foo")),
      ("skip", JsValue::Undefined),
      ("external_id", JsValue::Null),
      ("list", JsValue::Array(vec![JsValue::Undefined, JsValue::Number(1.5)])),
    ]);
    assert_eq!(v.to_json_text().unwrap(), r#"{"name":"Foo","external_id":null,"list":[null,1.5]}"#);
    assert_eq!(JsValue::Undefined.to_json_text(), None);
  }

  #[test]
  fn js_string_of_values() {
    assert_eq!(JsValue::Number(10.0).to_js_string(), "10");
    assert_eq!(JsValue::Number(0.5).to_js_string(), "0.5");
    assert_eq!(JsValue::Number(-0.0).to_js_string(), "0");
    for (n, js) in [(1e21, "1e+21"), (1e-7, "1e-7"), (1.5e-7, "1.5e-7"), (123456789012345680000.0, "123456789012345680000"),
      (0.000001, "0.000001"), (-2.5, "-2.5"), (1.7976931348623157e308, "1.7976931348623157e+308"), (5e-324, "5e-324"), (100.0, "100")] {
      assert_eq!(number_to_string(n), js, "{n}");
    }
    let arr = JsValue::Array(vec![JsValue::str("a.com"), JsValue::Null, JsValue::str("b.com")]);
    assert_eq!(arr.to_js_string(), "a.com,,b.com");
    assert_eq!(JsValue::object(vec![]).to_js_string(), "[object Object]");
  }

  #[test]
  fn iso_dates() {
    assert_eq!(iso_string(0.0).unwrap(), "1970-01-01T00:00:00.000Z");
    assert_eq!(iso_string(1_700_000_000_123.0).unwrap(), "2023-11-14T22:13:20.123Z");
    assert_eq!(iso_string(-1.0).unwrap(), "1969-12-31T23:59:59.999Z");
    assert!(iso_string(f64::NAN).is_none());
  }

  #[test]
  fn transfer_text_marks_undefined_and_aliases() {
    let mut item = JsObject::new();
    item.set("slug", JsValue::str("a"));
    item.set("createdAt", JsValue::Undefined);
    item.hide("key", JsValue::str("a"));
    let v = JsValue::object(vec![("data", JsValue::Array(vec![JsValue::Object(item)])), ("n", JsValue::Number(1e21))]);
    assert_eq!(
      to_transfer_text(&v),
      r#"{"v":{"data":[{"slug":"a","createdAt":null}],"n":1e+21},"u":[["data",0,"createdAt"]],"h":[[["data",0],"key","a"]]}"#
    );
    assert_eq!(to_transfer_text(&JsValue::Undefined), r#"{"v":null,"u":[[]]}"#);
    assert_eq!(to_transfer_text(&JsValue::Null), r#"{"v":null}"#);
  }

  #[test]
  fn parses_json_like_json_parse() {
    let v: JsValue = serde_json::from_str(r#"{"b":1,"a":[true,null,"x",1.5e3],"b":2}"#).unwrap();
    assert_eq!(v, JsValue::object(vec![("b", JsValue::Number(2.0)), ("a", JsValue::Array(vec![JsValue::Bool(true), JsValue::Null, JsValue::str("x"), JsValue::Number(1500.0)]))]));
  }

  #[test]
  fn truthiness() {
    assert!(!JsValue::str("").truthy());
    assert!(!JsValue::Number(0.0).truthy());
    assert!(JsValue::Array(vec![]).truthy());
  }
}
