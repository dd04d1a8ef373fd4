//! The `Fe26.2` seal of the official SDK's session cookie (iron-webcrypto, sdk-8.13-surface.md
//! §6.2–6.3): AES-256-CBC for secrecy, HMAC-SHA256 for integrity, both keys from PBKDF2-SHA1
//! (1 iteration) over the password with a hex salt, `~2` version suffix.

use aes::cipher::{block_padding::Pkcs7, BlockModeDecrypt, BlockModeEncrypt, KeyIvInit};
use base64::engine::general_purpose::{GeneralPurpose, GeneralPurposeConfig, URL_SAFE_NO_PAD};
use base64::engine::DecodePaddingMode;
use base64::{alphabet, Engine};
use hmac::{KeyInit, Mac};
use subtle::ConstantTimeEq;

const PREFIX: &str = "Fe26.2";
const MIN_PASSWORD_LENGTH: usize = 32;
pub const SHORT_PASSWORD: &str = "Password string too short (min 32 characters required)";

/// Why a seal could not be opened. Only `ShortPassword` is the caller's mistake; every other
/// reason means the cookie is not one sealed with this password.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SealError {
  #[error("{}", SHORT_PASSWORD)]
  ShortPassword,
  #[error("invalid seal: {0}")]
  Invalid(&'static str),
}

type HmacSha256 = hmac::Hmac<sha2::Sha256>;

/// `atob`'s forgiving base64, which iron-webcrypto uses after mapping `-`/`_` to `+`/`/`:
/// both alphabets, optional padding, ASCII whitespace ignored, trailing bits allowed.
const FORGIVING: GeneralPurpose = GeneralPurpose::new(
  &alphabet::STANDARD,
  GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent).with_decode_allow_trailing_bits(true),
);

fn b64_decode(s: &str) -> Option<Vec<u8>> {
  let normalized: String = s
    .chars()
    .filter(|c| !matches!(c, ' ' | '\t' | '\n' | '\u{c}' | '\r'))
    .map(|c| match c {
      '-' => '+',
      '_' => '/',
      c => c,
    })
    .collect();
  FORGIVING.decode(normalized.trim_end_matches('=')).ok()
}

fn check_password(password: &str) -> Result<(), SealError> {
  // JavaScript's `.length`: UTF-16 code units.
  if password.encode_utf16().count() < MIN_PASSWORD_LENGTH {
    Err(SealError::ShortPassword)
  } else {
    Ok(())
  }
}

/// PBKDF2-HMAC-SHA1, one iteration, 32 bytes; the salt is the hex string's bytes.
fn derive_key(password: &str, salt_hex: &str) -> [u8; 32] {
  pbkdf2::pbkdf2_hmac_array::<sha1::Sha1, 32>(password.as_bytes(), salt_hex.as_bytes(), 1)
}

fn hex(bytes: &[u8]) -> String {
  bytes.iter().map(|b| format!("{:02x}", b)).collect()
}

fn mac(password: &str, salt_hex: &str, base: &str) -> Vec<u8> {
  let mut m = <HmacSha256 as KeyInit>::new_from_slice(&derive_key(password, salt_hex)).expect("any key length");
  m.update(base.as_bytes());
  m.finalize().into_bytes().to_vec()
}

fn random<const N: usize>() -> [u8; N] {
  let mut b = [0u8; N];
  getrandom::fill(&mut b).expect("the OS random source");
  b
}

/// Seals `json` (the UTF-8 JSON text of the data) under `password`, with fresh salts and IV.
pub fn seal(json: &str, password: &str) -> Result<String, SealError> {
  seal_with(json, password, &hex(&random::<32>()), &random::<16>(), &hex(&random::<32>()))
}

fn seal_with(json: &str, password: &str, enc_salt: &str, iv: &[u8; 16], mac_salt: &str) -> Result<String, SealError> {
  check_password(password)?;
  let key = derive_key(password, enc_salt);
  let ciphertext = cbc::Encryptor::<aes::Aes256>::new(&key.into(), iv.into()).encrypt_padded_vec::<Pkcs7>(json.as_bytes());
  let base = format!("{}*1*{}*{}*{}*", PREFIX, enc_salt, URL_SAFE_NO_PAD.encode(iv), URL_SAFE_NO_PAD.encode(ciphertext));
  let signature = URL_SAFE_NO_PAD.encode(mac(password, mac_salt, &base));
  Ok(format!("{}*{}*{}~2", base, mac_salt, signature))
}

/// The `~<version>` suffix of a seal.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Version {
  /// No `~` at all.
  Absent,
  /// `parseInt` of the suffix; `None` for NaN.
  Number(Option<i64>),
}

/// Opens a seal made with `password` (id `1`) and returns the JSON text inside, or why not.
/// Unlike the official SDK, no malformed cookie throws: every defect is `SealError::Invalid`.
pub fn unseal(sealed: &str, password: &str) -> Result<(String, Version), SealError> {
  check_password(password)?;
  let invalid = SealError::Invalid;
  let mut version_parts = sealed.split('~');
  let body = version_parts.next().unwrap_or_default();
  let version = version_parts.next().map_or(Version::Absent, |v| Version::Number(parse_int(v)));
  let parts: Vec<&str> = body.split('*').collect();
  if parts.len() != 8 {
    return Err(invalid("incorrect number of sealed components"));
  }
  let [prefix, password_id, enc_salt, iv, ciphertext, expiration, mac_salt, signature] =
    [parts[0], parts[1], parts[2], parts[3], parts[4], parts[5], parts[6], parts[7]];
  if prefix != PREFIX {
    return Err(invalid("wrong mac prefix"));
  }
  if !expiration.is_empty() {
    // The SDK seals with no expiry; an expiring seal must match iron's `^[1-9]\d*$` (no sign,
    // no leading zero) and not be expired. Compared as a JS number, as iron does.
    let well_formed = expiration.bytes().all(|b| b.is_ascii_digit()) && !expiration.starts_with('0');
    let ms: f64 = if well_formed { expiration.parse().map_err(|_| invalid("invalid expiration"))? } else { return Err(invalid("invalid expiration")) };
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as f64).unwrap_or(0.0);
    if ms <= now - 60_000.0 {
      return Err(invalid("expired seal"));
    }
  }
  if password_id != "1" {
    return Err(invalid("cannot find password"));
  }
  let base = parts[..6].join("*");
  let given = b64_decode(signature).ok_or(invalid("bad hmac encoding"))?;
  let expected = mac(password, mac_salt, &base);
  if !bool::from(given.ct_eq(&expected)) {
    return Err(invalid("bad hmac value"));
  }
  let iv: [u8; 16] = b64_decode(iv).and_then(|v| v.try_into().ok()).ok_or(invalid("bad iv"))?;
  let ciphertext = b64_decode(ciphertext).ok_or(invalid("bad ciphertext encoding"))?;
  let key = derive_key(password, enc_salt);
  let plain = cbc::Decryptor::<aes::Aes256>::new(&key.into(), &iv.into())
    .decrypt_padded_vec::<Pkcs7>(&ciphertext)
    .map_err(|_| invalid("decryption failed"))?;
  let text = String::from_utf8(plain).map_err(|_| invalid("not UTF-8"))?;
  Ok((text, version))
}

/// `parseInt(s, 10)`: leading digits, `None` for NaN.
fn parse_int(s: &str) -> Option<i64> {
  let t = s.trim_start();
  let (sign, digits) = match t.strip_prefix('-') {
    Some(rest) => (-1, rest),
    None => (1, t.strip_prefix('+').unwrap_or(t)),
  };
  let n: String = digits.chars().take_while(|c| c.is_ascii_digit()).collect();
  n.parse::<i64>().ok().map(|v| sign * v)
}

#[cfg(test)]
mod tests {
  use super::*;

  const PASSWORD: &str = "alongcookiesecretmadefortestingsessions";
  /// The reference vector of sdk-8.13-surface.md §6.2, accepted by the official SDK.
  const VECTOR: &str = "Fe26.2*1*aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa*AQEBAQEBAQEBAQEBAQEBAQ*LHkSALK1hotD0F5DNcOpLA**bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb*2HRhVdzyWVnZPl4YG4791-UvXu4Me5E2OToC3DH6ctY~2";

  #[test]
  fn reproduces_the_reference_vector() {
    assert_eq!(hex(&derive_key(PASSWORD, &"a".repeat(64))), "ca57468890e9313a01339a0a7b87d7590d223c4396fe0cd009411cad7a795a48");
    assert_eq!(hex(&derive_key(PASSWORD, &"b".repeat(64))), "edcad61a907bd5d0ede20c9bee48b0397edac3891a396a05fb3a99ea34269fda");
    let sealed = seal_with(r#"{"foo":"bar"}"#, PASSWORD, &"a".repeat(64), &[1u8; 16], &"b".repeat(64)).unwrap();
    assert_eq!(sealed, VECTOR);
    assert_eq!(unseal(VECTOR, PASSWORD).unwrap(), (r#"{"foo":"bar"}"#.to_string(), Version::Number(Some(2))));
  }

  #[test]
  fn round_trip_with_unicode() {
    let json = r#"{"user":{"firstName":"Zoë 🚀 名前"}}"#;
    let sealed = seal(json, PASSWORD).unwrap();
    assert_eq!(unseal(&sealed, PASSWORD).unwrap().0, json);
    assert_ne!(seal(json, PASSWORD).unwrap(), sealed, "fresh salts and IV each time");
  }

  #[test]
  fn every_tampered_byte_is_rejected_without_panicking() {
    let sealed = seal(r#"{"accessToken":"x"}"#, PASSWORD).unwrap();
    let bytes = sealed.as_bytes();
    for i in 0..bytes.len() {
      let mut t = bytes.to_vec();
      t[i] = if t[i] == b'A' { b'B' } else { b'A' };
      let t = String::from_utf8(t).unwrap();
      if t == sealed {
        continue;
      }
      let same_mac = || b64_decode(t.rsplit('*').next().unwrap().split('~').next().unwrap()) == b64_decode(sealed.rsplit('*').next().unwrap().split('~').next().unwrap());
      match unseal(&t, PASSWORD) {
        Err(SealError::Invalid(_)) => {}
        // A re-spelling of the MAC that decodes to the same bytes (unused trailing bits).
        Ok(_) if t.split('*').take(7).eq(sealed.split('*').take(7)) && same_mac() => {}
        // Changing the version suffix leaves the seal itself intact.
        Ok((_, v)) if i >= sealed.len() - 1 => assert_ne!(v, Version::Number(Some(2))),
        other => panic!("byte {i}: {other:?}"),
      }
    }
    for truncated in [&sealed[..10], &sealed[..sealed.len() / 2], ""] {
      assert!(matches!(unseal(truncated, PASSWORD), Err(SealError::Invalid(_))));
    }
  }

  #[test]
  fn expirations_are_read_as_iron_reads_them() {
    let with_expiration = |exp: &str| {
      let enc = "a".repeat(64);
      let base = format!("Fe26.2*1*{}*AQEBAQEBAQEBAQEBAQEBAQ*LHkSALK1hotD0F5DNcOpLA*{}", enc, exp);
      let mac_salt = "b".repeat(64);
      let signature = URL_SAFE_NO_PAD.encode(mac(PASSWORD, &mac_salt, &base));
      format!("{}*{}*{}~2", base, mac_salt, signature)
    };
    let future = "99999999999999";
    assert!(unseal(&with_expiration(future), PASSWORD).is_ok());
    assert!(unseal(&with_expiration("99999999999999999999999"), PASSWORD).is_ok(), "beyond 2^63 ms is still a future time");
    for bad in [&format!("+{}", future)[..], "0123", "-5", "1e20", "1"] {
      assert!(matches!(unseal(&with_expiration(bad), PASSWORD), Err(SealError::Invalid(_))), "{bad}");
    }
  }

  #[test]
  fn wrong_and_short_passwords() {
    let sealed = seal("{}", PASSWORD).unwrap();
    assert_eq!(unseal(&sealed, &format!("{}x", PASSWORD)), Err(SealError::Invalid("bad hmac value")));
    assert_eq!(unseal(&sealed, "short"), Err(SealError::ShortPassword));
    assert_eq!(seal("{}", "short"), Err(SealError::ShortPassword));
  }

  #[test]
  fn versions_and_padding_are_read_like_node() {
    let no_version = VECTOR.trim_end_matches("~2");
    assert_eq!(unseal(no_version, PASSWORD).unwrap().1, Version::Absent);
    assert_eq!(unseal(&format!("{}~x", no_version), PASSWORD).unwrap().1, Version::Number(None));
    // The MAC in the other alphabet, or with its unused trailing bits set, is the same MAC.
    let mac = VECTOR.rsplit('*').next().unwrap().trim_end_matches("~2");
    let standard = VECTOR.replace(mac, &mac.replace('-', "+"));
    assert!(unseal(&standard, PASSWORD).is_ok());
    let last = mac.chars().last().unwrap();
    let sibling = (b'A'..=b'z').map(char::from).find(|c| *c != last && b64_decode(&format!("{}{}", &mac[..mac.len() - 1], c)) == b64_decode(mac)).unwrap();
    assert!(unseal(&VECTOR.replace(mac, &format!("{}{}", &mac[..mac.len() - 1], sibling)), PASSWORD).is_ok());
    // The signature is outside the MAC'd text; Node also accepts it padded or in standard base64.
    let padded = VECTOR.replace("ctY~2", "ctY=~2");
    assert_eq!(unseal(&padded, PASSWORD).unwrap().0, r#"{"foo":"bar"}"#);
  }
}
