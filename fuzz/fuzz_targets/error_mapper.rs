//! The error-body mapper on arbitrary bodies (parsed as the transport parses them), statuses,
//! request ids and Retry-After values: never panics, and always names an official class.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workos_native::errors::{exception_for_status, parse_error, Error};
use workos_native::value::JsValue;

const CLASSES: &[&str] = &[
  "UnauthorizedException",
  "ConflictException",
  "UnprocessableEntityException",
  "NotFoundException",
  "RateLimitExceededException",
  "OauthException",
  "BadRequestException",
  "GenericServerException",
];

fuzz_target!(|input: (u16, &[u8], &str, Option<&str>)| {
  let (status, body, request_id, retry_after) = input;
  match serde_json::from_slice::<serde_json::Value>(body) {
    Ok(json) => {
      let data = if json.is_null() { JsValue::object(vec![]) } else { JsValue::from_json(&json) };
      let e = exception_for_status(status, &data, "/fuzz", request_id, retry_after);
      let Error::Exception { class, .. } = &e else { panic!("not an exception: {e:?}") };
      assert!(CLASSES.contains(class), "{class}");
      let _ = e.status();
      let _ = e.to_payload();
    }
    Err(_) => {
      let e = parse_error(None, &String::from_utf8_lossy(body), status, request_id);
      let _ = e.to_payload();
    }
  }
});
