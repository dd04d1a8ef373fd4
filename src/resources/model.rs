//! Building the JavaScript objects the official deserializers build, field by field, so that
//! keys, their order, and `undefined`/`null` come out the same.

use crate::value::{JsObject, JsValue};

/// A deserializer's output object under construction, reading from one wire object.
pub struct Model<'a> {
  wire: &'a JsValue,
  out: JsObject,
}

impl<'a> Model<'a> {
  pub fn from(wire: &'a JsValue) -> Model<'a> {
    Model { wire, out: JsObject::with_capacity(12) }
  }

  /// `out[key] = wire[wire_key]` (the key is present even when the value is `undefined`).
  pub fn copy(mut self, key: &str, wire_key: &str) -> Self {
    self.out.props.push((key.into(), self.wire.get(wire_key).clone()));
    self
  }

  /// Fields whose wire name equals the JS name.
  pub fn same(mut self, keys: &[&str]) -> Self {
    for k in keys {
      self.out.props.push(((*k).into(), self.wire.get(k).clone()));
    }
    self
  }

  /// `...(wire[wire_key] !== undefined && { [key]: wire[wire_key] })`
  pub fn copy_if_defined(mut self, key: &str, wire_key: &str) -> Self {
    let v = self.wire.get(wire_key);
    if !v.is_undefined() {
      self.out.props.push((key.into(), v.clone()));
    }
    self
  }

  /// `out[key] = wire[wire_key] ?? fallback`
  pub fn copy_or(mut self, key: &str, wire_key: &str, fallback: JsValue) -> Self {
    let v = self.wire.get(wire_key);
    self.out.props.push((key.into(), if v.is_nullish() { fallback } else { v.clone() }));
    self
  }

  /// `out[key] = (wire[wire_key] ?? []).map(item)`
  pub fn map(mut self, key: &str, wire_key: &str, item: fn(&JsValue) -> JsValue) -> Self {
    let v = match self.wire.get(wire_key) {
      JsValue::Array(items) => JsValue::Array(items.iter().map(item).collect()),
      _ => JsValue::Array(Vec::new()),
    };
    self.out.props.push((key.into(), v));
    self
  }

  /// A non-enumerable alias of an output field (objects stay equal to the official ones).
  pub fn alias(mut self, alias: &str, of: &str) -> Self {
    let v = self.out.get(of).clone();
    self.out.hide(alias, v);
    self
  }

  /// A non-enumerable property with a value of its own (e.g. a nested field brought up).
  pub fn alias_value(mut self, alias: &str, value: JsValue) -> Self {
    self.out.hide(alias, value);
    self
  }

  pub fn build(self) -> JsValue {
    JsValue::Object(self.out)
  }
}

/// A page's wire items, unread, and the cursor of the next page when there is one.
pub fn raw_page(mut wire: JsValue) -> (Vec<JsValue>, Option<String>) {
  let after = next_cursor(&wire);
  let items = match &mut wire {
    JsValue::Object(o) => match o.props.iter().position(|(k, _)| k == "data") {
      Some(i) => match std::mem::replace(&mut o.props[i].1, JsValue::Undefined) {
        JsValue::Array(items) => items,
        _ => Vec::new(),
      },
      None => Vec::new(),
    },
    _ => Vec::new(),
  };
  (items, after)
}

fn next_cursor(wire: &JsValue) -> Option<String> {
  match wire.get("list_metadata").get("after") {
    JsValue::String(s) if !s.is_empty() => Some(s.to_string()),
    _ => None,
  }
}

/// `{ object: 'list', data: wire.data.map(item), listMetadata: wire.list_metadata }`, and the
/// cursor of the next page when there is one.
pub fn list_page(wire: &JsValue, item: fn(&JsValue) -> JsValue) -> (JsValue, Option<String>) {
  let data = match wire.get("data") {
    JsValue::Array(items) => items.iter().map(item).collect(),
    _ => Vec::new(),
  };
  let meta = wire.get("list_metadata").clone();
  let after = next_cursor(wire);
  let page = JsValue::object(vec![("object", JsValue::str("list")), ("data", JsValue::Array(data)), ("listMetadata", meta)]);
  (page, after)
}
