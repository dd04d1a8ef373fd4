//! Property tests over random and mutated inputs, for the three parsers that see untrusted
//! text: the session seal (`session::seal`), the error-body mapper (`errors`), and the query
//! and path writers (`transport::encoding`, with `value`'s `String(v)` and `JSON.stringify`).
//!
//! No crate is added: a xorshift64* generator with fixed seeds makes every run identical, so a
//! failure names its case number and input and reproduces with `cargo test fuzz_tests`.
//! Each property runs `cases()` cases (10_000, or `FUZZ_CASES`); the round trip through the
//! ciphers, slow in a debug build, runs a quarter of them. The file runs in about two seconds.
//!
//! (Hooked into the crate by `#[cfg(test)] mod fuzz_tests;` in `lib.rs`.)

use std::panic::{catch_unwind, AssertUnwindSafe};

use crate::errors::{self, exception_for_status, Error};
use crate::session::seal::{self, SealError};
use crate::transport::encoding::{path_segment, Query};
use crate::value::{join_transfer, number_to_string, to_transfer_text, JsObject, JsValue, TransferPart};

/// Cases per property; `FUZZ_CASES=1000000 node scripts/run-cargo-tests.mjs fuzz_tests` runs more.
fn cases() -> usize {
  std::env::var("FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000)
}

// ---------------------------------------------------------------------------------------
// A small deterministic PRNG and the generators built on it

struct Rng(u64);

impl Rng {
  fn new(seed: u64) -> Rng {
    // Any seed, never the all-zero state.
    Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
  }

  /// xorshift64* (Vigna).
  fn next(&mut self) -> u64 {
    let mut x = self.0;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    self.0 = x;
    x.wrapping_mul(0x2545_F491_4F6C_DD1D)
  }

  fn below(&mut self, n: usize) -> usize {
    if n == 0 {
      0
    } else {
      (self.next() % n as u64) as usize
    }
  }

  fn chance(&mut self, num: u64, den: u64) -> bool {
    self.next() % den < num
  }

  fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
    &items[self.below(items.len())]
  }

  fn bytes(&mut self, max: usize) -> Vec<u8> {
    let n = self.below(max + 1);
    (0..n).map(|_| self.next() as u8).collect()
  }

  /// Any Unicode scalar value, weighted towards the characters parsers care about.
  fn char(&mut self) -> char {
    const SPECIAL: &[char] = &[
      '*', '~', '&', '=', '+', '%', '#', '?', '/', ' ', '.', '"', '\\', ',', ';', ':', '@', '\'', '(', ')', '!', '-', '_',
      '\u{0}', '\n', '\r', '\t', '\u{7f}', '\u{a0}', '\u{fffd}', '\u{feff}', '\u{2028}', 'é', '名', '🚀',
    ];
    loop {
      let c = match self.below(6) {
        0 | 1 => Some((0x20 + self.below(0x5f)) as u8 as char),
        2 => Some(*self.pick(SPECIAL)),
        3 => char::from_u32(self.below(0x80) as u32),
        4 => char::from_u32(0x80 + self.below(0xFFFF - 0x80) as u32),
        _ => char::from_u32(0x10000 + self.below(0x10FFFF - 0x10000) as u32),
      };
      if let Some(c) = c {
        return c;
      }
    }
  }

  fn string(&mut self, max: usize) -> String {
    let n = self.below(max + 1);
    (0..n).map(|_| self.char()).collect()
  }

  /// A string over `alphabet` (ASCII).
  fn string_of(&mut self, alphabet: &[u8], min: usize, max: usize) -> String {
    let n = min + self.below(max - min + 1);
    (0..n).map(|_| *self.pick(alphabet) as char).collect()
  }

  fn f64(&mut self) -> f64 {
    const SPECIAL: &[f64] = &[
      0.0, -0.0, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, f64::MIN_POSITIVE, 5e-324, f64::MAX, f64::MIN, 1e21, 1e-7,
      1e-6, 0.1, 0.5, 1.5e300, 123_456_789_012_345_680_000.0, 9_007_199_254_740_993.0, 4.35, 100.0, -1.0,
    ];
    match self.below(5) {
      0 => *self.pick(SPECIAL),
      1 => (self.next() % 2_000_001) as f64 - 1_000_000.0,
      2 => ((self.next() % 2_000_001) as f64 - 1_000_000.0) / 10f64.powi(self.below(12) as i32),
      3 => {
        let m = (self.next() % 10_000) as f64 / 1000.0;
        m * 10f64.powi(self.below(60) as i32 - 30)
      }
      _ => f64::from_bits(self.next()),
    }
  }

  /// A JavaScript value, at most `depth` levels deep.
  fn js_value(&mut self, depth: u32) -> JsValue {
    let top = if depth == 0 { 6 } else { 9 };
    match self.below(top) {
      0 => JsValue::Undefined,
      1 => JsValue::Null,
      2 => JsValue::Bool(self.chance(1, 2)),
      3 => JsValue::Number(self.f64()),
      4 => JsValue::str(if self.chance(1, 5) { String::new() } else { self.string(12) }),
      5 => JsValue::Date(if self.chance(1, 8) { f64::NAN } else { (self.next() % 8_640_000_000_000_000) as f64 }),
      6 | 7 => JsValue::Array((0..self.below(5)).map(|_| self.js_value(depth - 1)).collect()),
      _ => {
        let mut o = JsObject::new();
        for _ in 0..self.below(5) {
          let k = self.key();
          o.set(&k, self.js_value(depth - 1));
        }
        JsValue::Object(o)
      }
    }
  }

  /// An object key: the names the error mapper reads, or anything.
  fn key(&mut self) -> String {
    const KEYS: &[&str] = &["error", "error_description", "code", "errors", "message", "status", "__proto__", "", "0"];
    if self.chance(2, 3) {
      self.pick(KEYS).to_string()
    } else {
      self.string(6)
    }
  }
}

/// Runs `f`, turning a panic into a test failure that shows the input.
fn no_panic<T>(what: &str, case: usize, input: &dyn std::fmt::Debug, f: impl FnOnce() -> T) -> T {
  match catch_unwind(AssertUnwindSafe(f)) {
    Ok(v) => v,
    Err(p) => {
      let msg = p.downcast_ref::<String>().cloned().or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string())).unwrap_or_default();
      let mut shown = format!("{:?}", input);
      shown.truncate(600);
      panic!("{} panicked on case {}: {}\ninput: {}", what, case, msg, shown)
    }
  }
}

// ---------------------------------------------------------------------------------------
// The seal parser

const SEAL_ALPHABET: &[u8] = b"Fe26.2*~1-_=+/abcdefABCDEF0123456789xyz ";
const B64URL: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const HEX: &[u8] = b"0123456789abcdef";

fn password(rng: &mut Rng) -> String {
  // At least 32 UTF-16 units (an astral character counts twice, as JavaScript's `.length`).
  let mut p = rng.string(40);
  while p.encode_utf16().count() < 32 {
    p.push(rng.char());
  }
  p
}

/// A string that looks more or less like a seal: right prefix and shape, random parts.
fn seal_shaped(rng: &mut Rng) -> String {
  let part = |rng: &mut Rng, i: usize| -> String {
    match (i, rng.below(4)) {
      (0, 0) => "Fe26.2".into(),
      (1, 0 | 1) => "1".into(),
      (2 | 6, 0 | 1) => rng.string_of(HEX, 64, 64),
      (3, 0 | 1) => rng.string_of(B64URL, 22, 22),
      (5, 0 | 1) => String::new(),
      (5, 2) => format!("{}", rng.next() % 10_000_000_000_000),
      (_, 3) => rng.string(10),
      _ => rng.string_of(B64URL, 0, 64),
    }
  };
  let n = if rng.chance(3, 4) { 8 } else { rng.below(12) };
  let mut s = (0..n).map(|i| part(rng, i)).collect::<Vec<_>>().join("*");
  match rng.below(4) {
    0 => s.push_str("~2"),
    1 => s.push_str(&format!("~{}", rng.string(6))),
    2 => s.push_str(&"~".repeat(rng.below(3))),
    _ => {}
  }
  s
}

#[test]
fn unseal_never_panics_and_never_opens_random_input() {
  let mut rng = Rng::new(1);
  let fixed = password(&mut rng);
  for case in 0..cases() {
    let input = match rng.below(4) {
      0 => String::from_utf8_lossy(&rng.bytes(300)).into_owned(),
      1 => rng.string_of(SEAL_ALPHABET, 0, 300),
      2 => rng.string(200),
      _ => seal_shaped(&mut rng),
    };
    let pw = if rng.chance(1, 10) { rng.string(40) } else { fixed.clone() };
    let short = pw.encode_utf16().count() < 32;
    let out = no_panic("unseal", case, &(&input, &pw), || seal::unseal(&input, &pw));
    match out {
      Err(SealError::ShortPassword) => assert!(short, "case {case}: ShortPassword for a {}-unit password", pw.encode_utf16().count()),
      Err(SealError::Invalid(_)) => assert!(!short, "case {case}: a short password must be reported as such"),
      Ok(v) => panic!("case {case}: random input opened: {:?} -> {:?}", input, v),
    }
  }
}

/// One random edit of a seal.
fn mutate(rng: &mut Rng, s: &str) -> String {
  let chars: Vec<char> = s.chars().collect();
  let i = rng.below(chars.len() + 1);
  let j = (i + 1 + rng.below(8)).min(chars.len());
  let mut out: Vec<char> = chars.clone();
  match rng.below(9) {
    0 if i < chars.len() => out[i] = *rng.pick(B64URL) as char,
    1 => out.insert(i, rng.char()),
    2 if i < chars.len() => {
      out.drain(i..j);
    }
    3 => out.truncate(i),
    4 => {
      // Duplicate a run.
      let run: Vec<char> = chars[i.min(chars.len())..j.max(i).min(chars.len())].to_vec();
      for (k, c) in run.into_iter().enumerate() {
        out.insert(i + k, c);
      }
    }
    5 => out.insert(i, *rng.pick(&['*', '~', '=', '+', '/'])),
    6 => {
      // Swap two `*` parts.
      let mut parts: Vec<String> = s.split('*').map(str::to_string).collect();
      let (a, b) = (rng.below(parts.len()), rng.below(parts.len()));
      parts.swap(a, b);
      return parts.join("*");
    }
    7 if i < chars.len() => out[i] = rng.char(),
    _ => out.push_str_chars(&rng.string(4)),
  }
  out.into_iter().collect()
}

trait PushChars {
  fn push_str_chars(&mut self, s: &str);
}
impl PushChars for Vec<char> {
  fn push_str_chars(&mut self, s: &str) {
    self.extend(s.chars());
  }
}

#[test]
fn mutated_seals_never_panic_and_never_open_to_other_content() {
  let mut rng = Rng::new(2);
  let mut opened_unchanged = 0;
  let (mut pw, mut text, mut sealed) = (String::new(), String::new(), String::new());
  for case in 0..cases() {
    if case % 10 == 0 {
      // A fresh seal every ten cases (sealing is the slow part in a debug build).
      pw = password(&mut rng);
      text = rng.string(40);
      sealed = seal::seal(&text, &pw).expect("a long password seals");
    }
    let mut m = sealed.clone();
    for _ in 0..1 + rng.below(3) {
      m = mutate(&mut rng, &m);
    }
    let out = no_panic("unseal(mutated)", case, &(&m, &pw), || seal::unseal(&m, &pw));
    match out {
      Err(SealError::Invalid(_)) => {}
      Err(SealError::ShortPassword) => panic!("case {case}: ShortPassword for a long password"),
      // A mutation of the version suffix or of the MAC's padding leaves the seal itself intact;
      // whatever opens must be exactly what was sealed.
      Ok((opened, _)) => {
        assert_eq!(opened, text, "case {case}: a mutated seal opened to other content\nsealed:  {sealed}\nmutated: {m}");
        opened_unchanged += 1;
      }
    }
  }
  // Most mutations must break the seal (the MAC covers the first six parts).
  assert!(opened_unchanged < cases() / 3, "{opened_unchanged} of {} mutated seals still opened", cases());
}

#[test]
fn seal_then_unseal_round_trips_random_utf8() {
  let mut rng = Rng::new(3);
  for case in 0..cases() / 4 {
    let pw = password(&mut rng);
    let text = if case % 500 == 0 { rng.string(5000) } else { rng.string(64) };
    let sealed = no_panic("seal", case, &(&text, &pw), || seal::seal(&text, &pw)).expect("a long password seals");
    assert!(sealed.starts_with("Fe26.2*1*") && sealed.ends_with("~2"), "case {case}: {sealed}");
    assert!(sealed.is_ascii(), "case {case}: a seal is cookie-safe ASCII");
    let opened = seal::unseal(&sealed, &pw);
    assert_eq!(opened, Ok((text.clone(), crate::session::seal::Version::Number(Some(2)))), "case {case}: {:?} under {:?}", text, pw);
    if case % 10 == 0 {
      // Another password never opens it. (Not one that only adds NULs: HMAC pads a key shorter
      // than its block with zeros, so `p` and `p\0` are the same key, here as in iron-webcrypto.)
      let mut other = pw.clone();
      other.push(loop {
        match rng.char() {
          '\u{0}' => continue,
          c => break c,
        }
      });
      assert!(matches!(seal::unseal(&sealed, &other), Err(SealError::Invalid(_))), "case {case}: opened with another password: {pw:?} / {other:?}");
    }
  }
}

#[test]
fn passwords_are_measured_in_utf16_units_like_javascript() {
  let mut rng = Rng::new(4);
  for case in 0..cases() / 10 {
    let pw = rng.string(40);
    let units = pw.encode_utf16().count();
    let sealed = seal::seal("{}", &pw);
    assert_eq!(sealed.is_ok(), units >= 32, "case {case}: {units} units: {sealed:?}");
    assert_eq!(seal::unseal("Fe26.2*1*a*b*c**d*e~2", &pw) == Err(SealError::ShortPassword), units < 32, "case {case}");
  }
}

// ---------------------------------------------------------------------------------------
// The error-body mapper

/// The classes `exception_for_status` may produce: the official `handleHttpError`'s.
const MAPPED: &[&str] = &[
  "UnauthorizedException",
  "ConflictException",
  "UnprocessableEntityException",
  "NotFoundException",
  "RateLimitExceededException",
  "OauthException",
  "BadRequestException",
  "GenericServerException",
];

/// JavaScript truthiness, written out again (not `JsValue::truthy`).
fn js_truthy(v: &JsValue) -> bool {
  !matches!(v, JsValue::Undefined | JsValue::Null | JsValue::Bool(false))
    && !matches!(v, JsValue::Number(n) if *n == 0.0 || n.is_nan())
    && !matches!(v, JsValue::String(s) if s.is_empty())
}

/// `const { code, error_description, error, errors, message } = data`: own keys of an object.
fn js_field<'a>(body: &'a JsValue, key: &str) -> &'a JsValue {
  match body {
    JsValue::Object(o) => o.props.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v).unwrap_or(&JsValue::Undefined),
    _ => &JsValue::Undefined,
  }
}

/// `handleHttpError`'s switch.
fn expected_class(status: u16, body: &JsValue) -> &'static str {
  match status {
    401 => "UnauthorizedException",
    409 => "ConflictException",
    422 => "UnprocessableEntityException",
    404 => "NotFoundException",
    429 => "RateLimitExceededException",
    _ if js_truthy(js_field(body, "error")) || js_truthy(js_field(body, "error_description")) => "OauthException",
    _ if js_truthy(js_field(body, "code")) && js_truthy(js_field(body, "errors")) => "BadRequestException",
    _ => "GenericServerException",
  }
}

fn status(rng: &mut Rng) -> u16 {
  const INTERESTING: &[u16] = &[0, 1, 100, 200, 204, 301, 302, 400, 401, 403, 404, 408, 409, 422, 429, 500, 502, 503, 599, 600, 999, u16::MAX];
  match rng.below(3) {
    0 => *rng.pick(INTERESTING),
    1 => 100 + rng.below(500) as u16,
    _ => rng.next() as u16,
  }
}

/// A body as it arrives: random JSON text (sometimes not JSON), parsed like the transport does.
fn error_body(rng: &mut Rng) -> JsValue {
  let v = rng.js_value(3);
  // Through JSON text and back, as a real body would come (`undefined` keys vanish…).
  match v.to_json_text().and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) {
    Some(serde_json::Value::Null) => JsValue::object(vec![]),
    Some(json) => JsValue::from_json(&json),
    None => JsValue::object(vec![]),
  }
}

#[test]
fn exception_for_status_is_total_and_yields_an_official_class() {
  let mut rng = Rng::new(5);
  let retry_afters = ["", "0", "7", " 12 ", "1.5", "-3", "abc", "Wed, 21 Oct 2015 07:28:00 GMT", "1e3", "99999999999999999999999"];
  for case in 0..cases() {
    let status = status(&mut rng);
    let body = if rng.chance(1, 4) { rng.js_value(3) } else { error_body(&mut rng) };
    let path = format!("/{}", rng.string(20));
    let request_id = rng.string(12);
    let retry_after = if rng.chance(1, 3) { None } else { Some(rng.pick(&retry_afters).to_string()) };
    let input = (status, &body, &path, &request_id, &retry_after);
    let e = no_panic("exception_for_status", case, &input, || exception_for_status(status, &body, &path, &request_id, retry_after.as_deref()));
    let Error::Exception { class, ref args } = e else { panic!("case {case}: not an exception class: {e:?}") };
    assert!(MAPPED.contains(&class), "case {case}: {class} is not one of the official classes");
    assert_eq!(class, expected_class(status, &body), "case {case}: status {status}, body {body:?}");
    // The arguments carry the request id and the status where the constructor takes them.
    match class {
      "UnauthorizedException" => assert_eq!(args, &vec![JsValue::str(request_id.clone())], "case {case}"),
      "GenericServerException" => {
        assert_eq!(args[0], JsValue::Number(status as f64), "case {case}");
        assert_eq!(args[3], JsValue::str(request_id.clone()), "case {case}");
      }
      "OauthException" => {
        assert_eq!(args[0], JsValue::Number(status as f64), "case {case}");
        assert_eq!(args[1], JsValue::str(request_id.clone()), "case {case}");
      }
      "RateLimitExceededException" => assert_eq!(args[1], JsValue::str(request_id.clone()), "case {case}"),
      _ => assert_eq!(args[0].get("requestID"), &JsValue::str(request_id.clone()), "case {case}: {class}"),
    }
    let expected_status = match class {
      "UnauthorizedException" => 401,
      "ConflictException" => 409,
      "UnprocessableEntityException" => 422,
      "NotFoundException" => 404,
      "RateLimitExceededException" => 429,
      "BadRequestException" => 400,
      _ => status,
    };
    assert_eq!(e.status(), Some(expected_status), "case {case}: {class}");
    // What index.js receives is always `{ class, args }`.
    let payload = no_panic("to_payload", case, &input, || e.to_payload());
    assert_eq!(payload.get("class"), &JsValue::str(class), "case {case}");
    assert!(matches!(payload.get("args"), JsValue::Array(_)), "case {case}");
  }
}

#[test]
fn bodies_that_are_not_json_become_a_parse_error_payload() {
  let mut rng = Rng::new(6);
  for case in 0..cases() {
    let raw = String::from_utf8_lossy(&rng.bytes(120)).into_owned();
    let reason = if rng.chance(1, 2) { None } else { Some(rng.string(20)) };
    let status = status(&mut rng);
    let rid = rng.string(8);
    let payload = no_panic("parse_error", case, &(&raw, &reason), || errors::parse_error(reason.as_deref(), &raw, status, &rid).to_payload());
    assert_eq!(payload.get("class"), &JsValue::str("Error"), "case {case}");
    let cause = payload.get("cause");
    assert_eq!(cause.get("class"), &JsValue::str("ParseError"), "case {case}");
    let JsValue::Array(args) = cause.get("args") else { panic!("case {case}: no args") };
    assert_eq!(args[0].get("rawBody"), &JsValue::str(raw.clone()), "case {case}");
    assert_eq!(args[0].get("rawStatus"), &JsValue::Number(status as f64), "case {case}");
    // Without a reason the message is left to JSON.parse (index.js), so it is null here.
    assert_eq!(payload.get("message").is_nullish(), reason.is_none(), "case {case}");
  }
}

/// `Number(s)` for the strings a header can hold, written out from the ECMAScript grammar
/// (StringNumericLiteral): trimmed; empty is 0; `Infinity` with an optional sign (exact case);
/// `0x`/`0o`/`0b` integers without a sign; otherwise a decimal literal, else NaN.
fn js_number(s: &str) -> f64 {
  let t = s.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
  if t.is_empty() {
    return 0.0;
  }
  for (prefix, radix) in [("0x", 16), ("0X", 16), ("0o", 8), ("0O", 8), ("0b", 2), ("0B", 2)] {
    if let Some(digits) = t.strip_prefix(prefix) {
      return if !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix)) {
        digits.chars().fold(0f64, |acc, c| acc * radix as f64 + c.to_digit(radix).unwrap() as f64)
      } else {
        f64::NAN
      };
    }
  }
  let (sign, body) = match t.as_bytes()[0] {
    b'+' => (1.0, &t[1..]),
    b'-' => (-1.0, &t[1..]),
    _ => (1.0, t),
  };
  if body == "Infinity" {
    return sign * f64::INFINITY;
  }
  // digits [. digits] [e|E [+|-] digits], with at least one digit before the exponent.
  let bytes = body.as_bytes();
  let mut i = 0;
  let int_digits = bytes.iter().take_while(|b| b.is_ascii_digit()).count();
  i += int_digits;
  let mut frac_digits = 0;
  if i < bytes.len() && bytes[i] == b'.' {
    i += 1;
    frac_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    i += frac_digits;
  }
  if int_digits + frac_digits == 0 {
    return f64::NAN;
  }
  if i < bytes.len() && (bytes[i] == b'e' || bytes[i] == b'E') {
    i += 1;
    if i < bytes.len() && (bytes[i] == b'+' || bytes[i] == b'-') {
      i += 1;
    }
    let exp_digits = bytes[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    if exp_digits == 0 {
      return f64::NAN;
    }
    i += exp_digits;
  }
  if i != bytes.len() {
    return f64::NAN;
  }
  sign * body.parse::<f64>().unwrap_or(f64::NAN)
}

fn retry_after_of(value: &str) -> JsValue {
  match exception_for_status(429, &JsValue::object(vec![]), "/p", "r", Some(value)) {
    Error::Exception { args, .. } => args[2].clone(),
    other => panic!("{other:?}"),
  }
}

fn same_number(a: &JsValue, b: f64) -> bool {
  matches!(a, JsValue::Number(n) if (n.is_nan() && b.is_nan()) || *n == b)
}

#[test]
fn retry_after_reads_like_js_number() {
  // `retryAfter ? Number(retryAfter) : null`: random header-like values.
  let mut rng = Rng::new(7);
  const PIECES: &[&str] = &["1", "0", "9", ".", "e", "E", "+", "-", " ", "x", "Infinity", "inf", "NaN", "0x", "0b", "0o", "a", "f"];
  let mut wrong: Vec<String> = Vec::new();
  for case in 0..cases() {
    let s: String = (0..1 + rng.below(5)).map(|_| *rng.pick(PIECES)).collect();
    let got = no_panic("retry-after", case, &s, || retry_after_of(&s));
    if !same_number(&got, js_number(&s)) {
      let line = format!("Number({s:?}) is {}, got {got:?}", js_number(&s));
      if !wrong.contains(&line) {
        wrong.push(line);
      }
    }
  }
  // Shortest first, one per kind of literal (`0x…`, `inf…`, …), so the message shows the range.
  wrong.sort_by_key(|l| l.len());
  let mut kinds: Vec<String> = Vec::new();
  wrong.retain(|l| {
    let input: String = l.chars().skip(8).take_while(|c| *c != '"').collect::<String>().trim().to_ascii_lowercase();
    let kind: String = match input.get(..2) {
      Some(p @ ("0x" | "0o" | "0b")) => p.to_string(),
      _ => input.chars().filter(|c| c.is_ascii_alphabetic()).collect(),
    };
    let fresh = !kinds.contains(&kind);
    kinds.push(kind);
    fresh
  });
  assert!(wrong.is_empty(), "{} kinds of Retry-After value read unlike Number():\n{}", wrong.len(), wrong[..wrong.len().min(15)].join("\n"));
}

#[test]
fn retry_after_waits_are_total_and_bounded() {
  use crate::transport::retry::{parse_retry_after, RetryPolicy};
  let mut rng = Rng::new(12);
  let now = std::time::SystemTime::now();
  const PIECES: &[&str] = &["1", "9", ".", "e", "+", "-", " ", "inf", "NaN", "1e308", "Wed, 21 Oct 2015 07:28:00 GMT", "Fri, 31 Dec 9999 23:59:59 GMT"];
  for case in 0..cases() {
    let s: String = if rng.chance(1, 2) { (0..1 + rng.below(4)).map(|_| *rng.pick(PIECES)).collect() } else { rng.string(20) };
    let wait = no_panic("parse_retry_after", case, &s, || parse_retry_after(&s, now));
    assert!(wait.is_none_or(|w| w <= std::time::Duration::from_secs(86_400 * 365 * 8000)), "case {case}: {s:?}");
    let delay = no_panic("delay", case, &s, || RetryPolicy::default().delay(rng.below(40) as u32, Some(&s)));
    assert!(delay <= std::time::Duration::from_secs(60), "case {case}: {s:?} waits {delay:?}");
  }
}

// ---------------------------------------------------------------------------------------
// Numbers, JSON text, the query and path writers

#[test]
fn number_to_string_round_trips_and_has_javascripts_shape() {
  let mut rng = Rng::new(8);
  for case in 0..cases() * 5 {
    let n = rng.f64();
    let s = no_panic("number_to_string", case, &n, || number_to_string(n));
    if n.is_nan() {
      assert_eq!(s, "NaN");
      continue;
    }
    if n.is_infinite() {
      assert_eq!(s, if n > 0.0 { "Infinity" } else { "-Infinity" });
      continue;
    }
    let back: f64 = s.parse().unwrap_or_else(|_| panic!("case {case}: {s:?} does not parse back"));
    assert!(back == n, "case {case}: {n:e} wrote {s:?}, which reads back as {back:e}");
    let a = n.abs();
    let exponential = a != 0.0 && !(1e-6..1e21).contains(&a);
    assert_eq!(s.contains('e'), exponential, "case {case}: {n:e} -> {s}");
    if exponential {
      assert!(s.contains("e+") || s.contains("e-"), "case {case}: {s}");
    }
    assert!(!s.ends_with(".0") && !s.starts_with('+'), "case {case}: {s}");
    assert!(!s.starts_with("-0") || s.starts_with("-0."), "case {case}: {s}");
  }
}

#[test]
fn json_text_is_always_valid_json_without_undefined() {
  let mut rng = Rng::new(9);
  for case in 0..cases() {
    let v = rng.js_value(4);
    let text = no_panic("to_json_text", case, &v, || v.to_json_text());
    match (&v, text) {
      (JsValue::Undefined, None) => {}
      (JsValue::Undefined, Some(t)) => panic!("case {case}: undefined wrote {t:?}"),
      (_, None) => panic!("case {case}: {v:?} wrote nothing"),
      (_, Some(t)) => {
        let parsed: serde_json::Value = serde_json::from_str(&t).unwrap_or_else(|e| panic!("case {case}: {e}: {t}"));
        // Object keys whose value is undefined are left out; the others keep their order.
        if let (JsValue::Object(o), serde_json::Value::Object(m)) = (&v, &parsed) {
          let mut expected: Vec<&str> = Vec::new();
          for (k, item) in &o.props {
            if !item.is_undefined() && !expected.contains(&k.as_str()) {
              expected.push(k);
            }
          }
          let keys: Vec<&str> = m.keys().map(String::as_str).collect();
          assert_eq!(keys, expected, "case {case}: {t}");
        }
      }
    }
  }
}

/// Gives some objects of `v` non-enumerable aliases, as the models do.
fn with_aliases(rng: &mut Rng, v: &mut JsValue) {
  match v {
    JsValue::Array(items) => items.iter_mut().for_each(|item| with_aliases(rng, item)),
    JsValue::Object(o) => {
      o.props.iter_mut().for_each(|(_, item)| with_aliases(rng, item));
      if rng.chance(1, 3) {
        let alias = rng.key();
        let value = rng.js_value(1);
        o.hide(&alias, value);
      }
    }
    _ => {}
  }
}

#[test]
fn transfer_parts_joined_equal_the_transfer_text_of_the_array() {
  let mut rng = Rng::new(10);
  for case in 0..cases() {
    let mut items: Vec<JsValue> = (0..rng.below(6)).map(|_| rng.js_value(3)).collect();
    items.iter_mut().for_each(|item| with_aliases(&mut rng, item));
    let parts: Vec<TransferPart> = items.iter().map(TransferPart::of).collect();
    let whole = to_transfer_text(&JsValue::Array(items.clone()));
    assert_eq!(join_transfer(parts.iter()), whole, "case {case}: {items:?}");
  }
}

/// `String(v)` as JavaScript computes it, written out again (dates excepted: their `String()`
/// depends on the time zone, so the query generator below does not make them).
fn js_string(v: &JsValue) -> String {
  match v {
    JsValue::Undefined => "undefined".into(),
    JsValue::Null => "null".into(),
    JsValue::Bool(b) => if *b { "true" } else { "false" }.into(),
    JsValue::Number(n) => number_to_string(*n),
    JsValue::String(s) => s.to_string(),
    JsValue::Array(items) => items.iter().map(|i| if matches!(i, JsValue::Undefined | JsValue::Null) { String::new() } else { js_string(i) }).collect::<Vec<_>>().join(","),
    JsValue::Object(_) => "[object Object]".into(),
    JsValue::Date(_) => unreachable!("not generated"),
  }
}

fn query_value(rng: &mut Rng, depth: u32) -> JsValue {
  loop {
    let v = rng.js_value(depth);
    if !contains_date(&v) {
      return v;
    }
  }
}

fn contains_date(v: &JsValue) -> bool {
  match v {
    JsValue::Date(_) => true,
    JsValue::Array(items) => items.iter().any(contains_date),
    JsValue::Object(o) => o.props.iter().any(|(_, v)| contains_date(v)),
    _ => false,
  }
}

#[test]
fn query_encode_parses_back_to_the_pairs_the_rules_give() {
  let mut rng = Rng::new(10);
  const KEYS: &[&str] = &["limit", "before", "after", "order", "domains", "email", "a b", "k&=+%#?", "é", ""];
  for case in 0..cases() {
    let mut q = Query::new();
    // The rules: a key keeps its first position and its last value; null, undefined and ''
    // are dropped; every other value is String(v).
    let mut model: Vec<(String, JsValue)> = Vec::new();
    for _ in 0..rng.below(10) {
      let key = if rng.chance(2, 3) { rng.pick(KEYS).to_string() } else { rng.string(6) };
      let value = query_value(&mut rng, 2);
      q.set(&key, value.clone());
      match model.iter_mut().find(|(k, _)| *k == key) {
        Some(slot) => slot.1 = value,
        None => model.push((key, value)),
      }
    }
    let expected: Vec<(String, String)> = model
      .iter()
      .filter(|(_, v)| !matches!(v, JsValue::Undefined | JsValue::Null) && *v != JsValue::str(""))
      .map(|(k, v)| (k.clone(), js_string(v)))
      .collect();
    let encoded = no_panic("Query::encode", case, &q, || q.encode());
    assert!(encoded.is_ascii() && !encoded.contains(' ') && !encoded.contains('#'), "case {case}: {encoded}");
    let parsed: Vec<(String, String)> = form_urlencoded::parse(encoded.as_bytes()).into_owned().collect();
    assert_eq!(parsed, expected, "case {case}: {encoded}");
    for (k, v) in &model {
      let want = expected.iter().find(|(ek, _)| ek == k).map(|(_, ev)| ev.clone());
      assert_eq!(q.get(k), want, "case {case}: get({k:?}) of {v:?}");
    }
  }
}

#[test]
fn path_segments_stay_one_segment_and_decode_to_the_id() {
  let mut rng = Rng::new(11);
  for case in 0..cases() {
    let id = match rng.below(5) {
      0 => rng.pick(&["", ".", "..", "...", "./", "%2e%2e", "a/b", "?x=1", "#f", "%", "%zz", "\\"]).to_string(),
      1 => rng.string_of(b"./%2e\\?#", 0, 6),
      _ => rng.string(16),
    };
    let out = no_panic("path_segment", case, &id, || path_segment("id", &id));
    let Ok(seg) = out else {
      assert!(id.is_empty() || id == "." || id == "..", "case {case}: {id:?} refused");
      continue;
    };
    assert!(!(id.is_empty() || id == "." || id == ".."), "case {case}: {id:?} accepted");
    assert!(
      seg.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.!~*'()%".contains(&b)),
      "case {case}: {id:?} -> {seg:?} has a character that changes the URL"
    );
    let decoded = percent_encoding::percent_decode_str(&seg).decode_utf8().expect("UTF-8");
    assert_eq!(decoded, id, "case {case}");
    // In a URL it stays the one segment it was (no `..` resolution, no query, no fragment).
    let url = reqwest::Url::parse(&format!("http://h/organizations/{}/roles", seg)).expect("a URL");
    let segments: Vec<&str> = url.path_segments().expect("segments").collect();
    assert_eq!(segments, ["organizations", seg.as_str(), "roles"], "case {case}: {id:?}");
    assert_eq!((url.query(), url.fragment()), (None, None), "case {case}");
  }
}

