//! JavaScript values to and from the core's `JsValue`, with raw Node-API calls so that
//! `undefined`, key order, `Date`s and non-enumerable aliases are kept exactly.

use std::ptr;

use napi::sys;

use crate::errors::Error;
use crate::value::{JsObject, JsValue};

/// Deeper than this is refused (and a cyclic object is refused by it too).
const MAX_DEPTH: u32 = 32;
/// Larger arrays or objects than this are refused.
const MAX_ENTRIES: u32 = 100_000;

macro_rules! check {
  ($e:expr) => {
    if unsafe { $e } != sys::Status::napi_ok {
      return Err(Error::type_error("could not read an argument"));
    }
  };
}

/// Reads a JavaScript argument. `name` is used in error messages.
pub fn from_js(env: sys::napi_env, value: sys::napi_value, name: &str) -> Result<JsValue, Error> {
  read(env, value, name, 0)
}

fn read(env: sys::napi_env, value: sys::napi_value, name: &str, depth: u32) -> Result<JsValue, Error> {
  if depth > MAX_DEPTH {
    return Err(Error::type_error(format!("{} is nested too deeply (or is cyclic)", name)));
  }
  let mut t = 0;
  check!(sys::napi_typeof(env, value, &mut t));
  match t {
    sys::ValueType::napi_undefined => Ok(JsValue::Undefined),
    sys::ValueType::napi_null => Ok(JsValue::Null),
    sys::ValueType::napi_boolean => {
      let mut b = false;
      check!(sys::napi_get_value_bool(env, value, &mut b));
      Ok(JsValue::Bool(b))
    }
    sys::ValueType::napi_number => {
      let mut n = 0f64;
      check!(sys::napi_get_value_double(env, value, &mut n));
      Ok(JsValue::Number(n))
    }
    sys::ValueType::napi_string => Ok(JsValue::str(read_string(env, value, name)?)),
    sys::ValueType::napi_object => read_object(env, value, name, depth),
    sys::ValueType::napi_symbol => Err(Error::type_error(format!("{} must not be a symbol", name))),
    sys::ValueType::napi_function => Err(Error::type_error(format!("{} must not be a function", name))),
    sys::ValueType::napi_bigint => Err(Error::type_error(format!("{} must not be a bigint", name))),
    _ => Err(Error::type_error(format!("{} has an unsupported type", name))),
  }
}

/// Only the properties `keys` of an object, read as `value[key]` reads them (a prototype's
/// too) and each converted as `from_js` converts; anything but a non-array object gives
/// `Undefined`. For a decision that needs a few fields of a large object: `requireRole` reads
/// a membership's status and roles, not its every field.
pub fn pick(env: sys::napi_env, value: sys::napi_value, keys: &[&std::ffi::CStr], name: &str) -> Result<JsValue, Error> {
  let mut t = 0;
  check!(sys::napi_typeof(env, value, &mut t));
  let mut is_array = false;
  if t == sys::ValueType::napi_object {
    check!(sys::napi_is_array(env, value, &mut is_array));
  }
  if t != sys::ValueType::napi_object || is_array {
    return Ok(JsValue::Undefined);
  }
  let mut obj = JsObject::with_capacity(keys.len());
  for key in keys {
    let mut item = ptr::null_mut();
    check!(sys::napi_get_named_property(env, value, key.as_ptr(), &mut item));
    let key = key.to_string_lossy();
    let v = read(env, item, &format!("{}.{}", name, key), 1)?;
    obj.props.push((key.as_ref().into(), v));
  }
  Ok(JsValue::Object(obj))
}

/// A string's UTF-8. A string that is not well-formed UTF-16 (a lone surrogate) is refused:
/// Node would turn it into U+FFFD, silently changing what is sent.
fn read_string(env: sys::napi_env, value: sys::napi_value, name: &str) -> Result<String, Error> {
  let mut len = 0usize;
  check!(sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut len));
  let mut buf = vec![0u8; len + 1];
  let mut written = 0usize;
  check!(sys::napi_get_value_string_utf8(env, value, buf.as_mut_ptr().cast(), len + 1, &mut written));
  buf.truncate(written);
  let text = String::from_utf8(buf).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
  if text.contains('\u{FFFD}') && has_lone_surrogate(env, value)? {
    return Err(Error::type_error(format!("{} is not well-formed Unicode (it has a lone surrogate)", name)));
  }
  Ok(text)
}

fn has_lone_surrogate(env: sys::napi_env, value: sys::napi_value) -> Result<bool, Error> {
  let mut len = 0usize;
  check!(sys::napi_get_value_string_utf16(env, value, ptr::null_mut(), 0, &mut len));
  let mut units = vec![0u16; len + 1];
  let mut written = 0usize;
  check!(sys::napi_get_value_string_utf16(env, value, units.as_mut_ptr(), len + 1, &mut written));
  units.truncate(written);
  Ok(char::decode_utf16(units).any(|c| c.is_err()))
}

fn read_object(env: sys::napi_env, value: sys::napi_value, name: &str, depth: u32) -> Result<JsValue, Error> {
  let mut is_array = false;
  check!(sys::napi_is_array(env, value, &mut is_array));
  if is_array {
    let mut len = 0u32;
    check!(sys::napi_get_array_length(env, value, &mut len));
    if len > MAX_ENTRIES {
      return Err(Error::type_error(format!("{} has too many elements", name)));
    }
    let mut items = Vec::with_capacity(len as usize);
    for i in 0..len {
      let mut item = ptr::null_mut();
      check!(sys::napi_get_element(env, value, i, &mut item));
      items.push(read(env, item, &format!("{}[{}]", name, i), depth + 1)?);
    }
    return Ok(JsValue::Array(items));
  }
  // Binary data is no API argument; refuse it before walking it byte by byte.
  let (mut typed, mut buffer, mut view) = (false, false, false);
  check!(sys::napi_is_typedarray(env, value, &mut typed));
  check!(sys::napi_is_arraybuffer(env, value, &mut buffer));
  check!(sys::napi_is_dataview(env, value, &mut view));
  if typed || buffer || view {
    return Err(Error::type_error(format!("{} must not be binary data (a Buffer, TypedArray, ArrayBuffer or DataView)", name)));
  }
  let mut is_date = false;
  check!(sys::napi_is_date(env, value, &mut is_date));
  if is_date {
    let mut ms = 0f64;
    check!(sys::napi_get_date_value(env, value, &mut ms));
    return Ok(JsValue::Date(ms));
  }
  // Own enumerable string keys, as Object.keys / JSON.stringify see them.
  let mut keys = ptr::null_mut();
  check!(sys::napi_get_all_property_names(
    env,
    value,
    sys::KeyCollectionMode::own_only,
    sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
    sys::KeyConversion::numbers_to_strings,
    &mut keys,
  ));
  let mut len = 0u32;
  check!(sys::napi_get_array_length(env, keys, &mut len));
  if len > MAX_ENTRIES {
    return Err(Error::type_error(format!("{} has too many properties", name)));
  }
  let mut obj = JsObject::with_capacity(len as usize);
  for i in 0..len {
    let mut key = ptr::null_mut();
    check!(sys::napi_get_element(env, keys, i, &mut key));
    let key_str = read_string(env, key, name)?;
    let mut item = ptr::null_mut();
    check!(sys::napi_get_property(env, value, key, &mut item));
    let v = read(env, item, &format!("{}.{}", name, key_str), depth + 1)?;
    obj.props.push((key_str.into(), v));
  }
  Ok(JsValue::Object(obj))
}

/// A JavaScript string from a `&str` (no intermediate `JsValue`).
pub fn str_to_js(env: sys::napi_env, s: &str) -> napi::Result<sys::napi_value> {
  let mut out = ptr::null_mut();
  // ASCII (most API text) is Latin-1 byte for byte, which V8 copies without decoding UTF-8.
  let create = if s.is_ascii() { sys::napi_create_string_latin1 } else { sys::napi_create_string_utf8 };
  ok(unsafe { create(env, s.as_ptr().cast(), s.len() as isize, &mut out) })?;
  Ok(out)
}

/// Builds the JavaScript value.
pub fn to_js(env: sys::napi_env, value: &JsValue) -> napi::Result<sys::napi_value> {
  let mut out = ptr::null_mut();
  let status = unsafe {
    match value {
      JsValue::Undefined => sys::napi_get_undefined(env, &mut out),
      JsValue::Null => sys::napi_get_null(env, &mut out),
      JsValue::Bool(b) => sys::napi_get_boolean(env, *b, &mut out),
      JsValue::Number(n) => sys::napi_create_double(env, *n, &mut out),
      JsValue::String(s) => return str_to_js(env, s),
      JsValue::Date(ms) => sys::napi_create_date(env, *ms, &mut out),
      JsValue::Array(items) => {
        let status = sys::napi_create_array_with_length(env, items.len(), &mut out);
        if status == sys::Status::napi_ok {
          for (i, item) in items.iter().enumerate() {
            let v = to_js(env, item)?;
            ok(sys::napi_set_element(env, out, i as u32, v))?;
          }
        }
        status
      }
      JsValue::Object(o) => {
        let status = sys::napi_create_object(env, &mut out);
        if status == sys::Status::napi_ok {
          define(env, out, o)?;
        }
        status
      }
    }
  };
  ok(status)?;
  Ok(out)
}

fn define(env: sys::napi_env, target: sys::napi_value, o: &JsObject) -> napi::Result<()> {
  // Names must outlive the napi_define_properties call.
  let mut names = Vec::with_capacity(o.props.len() + o.hidden.len());
  let mut descriptors = Vec::with_capacity(o.props.len() + o.hidden.len());
  let entries = o.props.iter().map(|e| (e, true)).chain(o.hidden.iter().map(|e| (e, false)));
  for ((key, v), enumerable) in entries {
    let mut name = ptr::null_mut();
    ok(unsafe { sys::napi_create_string_utf8(env, key.as_ptr().cast(), key.len() as isize, &mut name) })?;
    names.push(name);
    let attributes = if enumerable {
      sys::PropertyAttributes::writable | sys::PropertyAttributes::enumerable | sys::PropertyAttributes::configurable
    } else {
      sys::PropertyAttributes::writable | sys::PropertyAttributes::configurable
    };
    descriptors.push(sys::napi_property_descriptor {
      utf8name: ptr::null(),
      name,
      method: None,
      getter: None,
      setter: None,
      value: to_js(env, v)?,
      attributes,
      data: ptr::null_mut(),
    });
  }
  ok(unsafe { sys::napi_define_properties(env, target, descriptors.len(), descriptors.as_ptr()) })
}

fn ok(status: sys::napi_status) -> napi::Result<()> {
  if status == sys::Status::napi_ok {
    Ok(())
  } else {
    Err(napi::Error::from_reason(format!("Node-API call failed with status {}", status)))
  }
}
