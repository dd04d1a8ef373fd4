//! The seal parser on arbitrary input: never panics, never opens what was not sealed with the
//! password, and a seal it makes opens to exactly what was sealed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use workos_native::session::seal::{seal, unseal, SealError, Version};

const PASSWORD: &str = "a-fuzzing-cookie-password-of-40-chars!!";

fuzz_target!(|input: (&str, &str, bool)| {
  let (text, password, use_fixed) = input;
  let password = if use_fixed { PASSWORD } else { password };
  let short = password.encode_utf16().count() < 32;
  // Arbitrary text as a cookie.
  match unseal(text, password) {
    Err(SealError::ShortPassword) => assert!(short),
    Err(SealError::Invalid(_)) => assert!(!short),
    // Only a real seal opens (an input that *is* one, made by seal(), is vanishingly unlikely).
    Ok((opened, _)) => assert!(text.starts_with("Fe26.2*1*"), "opened {text:?} to {opened:?}"),
  }
  // Arbitrary text as the content: the round trip, and a one-character edit of the seal
  // that must not open to anything else.
  if let Ok(sealed) = seal(text, PASSWORD) {
    assert_eq!(unseal(&sealed, PASSWORD), Ok((text.to_string(), Version::Number(Some(2)))));
    let mut edited: Vec<char> = sealed.chars().collect();
    let i = text.len() % edited.len();
    edited[i] = if edited[i] == 'A' { 'B' } else { 'A' };
    let edited: String = edited.into_iter().collect();
    if let Ok((opened, _)) = unseal(&edited, PASSWORD) {
      assert_eq!(opened, text, "an edited seal opened to other content");
    }
  }
});
