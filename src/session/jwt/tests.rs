//! Tokens signed with throwaway RSA keys generated for these tests (testdata/test-rsa-keys.txt:
//! PKCS#1 DER in base64, then the modulus in base64url, for two keys).

use super::*;
use base64::Engine;
use jsonwebtoken::{encode, EncodingKey, Header};
use serde_json::json;

const KEYS: &str = include_str!("../testdata/test-rsa-keys.txt");

pub struct TestKey {
  pub der: Vec<u8>,
  pub n: String,
}

pub fn test_key(i: usize) -> TestKey {
  let lines: Vec<&str> = KEYS.lines().collect();
  TestKey { der: base64::engine::general_purpose::STANDARD.decode(lines[2 * i]).unwrap(), n: lines[2 * i + 1].to_string() }
}

pub fn jwk_json(i: usize, kid: &str) -> Json {
  json!({ "kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig", "n": test_key(i).n, "e": "AQAB" })
}

pub fn sign(i: usize, kid: Option<&str>, claims: &Json) -> String {
  let mut header = Header::new(Algorithm::RS256);
  header.kid = kid.map(str::to_string);
  encode(&header, claims, &EncodingKey::from_rsa_der(&test_key(i).der)).unwrap()
}

const NOW: u64 = 1_800_000_000;

fn keys() -> Vec<Jwk> {
  parse_jwks(&json!({ "keys": [jwk_json(0, "k0"), { "kty": "oct", "k": "c2VjcmV0" }] }))
}

#[test]
fn valid_tokens_verify_with_or_without_kid() {
  let claims = json!({ "sid": "s", "org_id": "org_1", "exp": NOW + 60, "iat": NOW });
  assert!(matches!(verify(&sign(0, Some("k0"), &claims), &keys(), NOW), Verdict::Valid(c) if c["org_id"] == "org_1"));
  assert!(matches!(verify(&sign(0, None, &claims), &keys(), NOW), Verdict::Valid(_)));
  // No exp at all is accepted, as jose does.
  assert!(matches!(verify(&sign(0, Some("k0"), &json!({ "sid": "s" })), &keys(), NOW), Verdict::Valid(_)));
}

#[test]
fn every_bad_token_is_a_verdict() {
  let k = keys();
  assert_eq!(verify(&sign(0, Some("k0"), &json!({ "exp": NOW })), &k, NOW), Verdict::Expired);
  assert_eq!(verify(&sign(0, Some("k0"), &json!({ "nbf": NOW + 1 })), &k, NOW), Verdict::Invalid("not yet valid"));
  assert_eq!(verify(&sign(0, Some("k0"), &json!({ "iat": "x" })), &k, NOW), Verdict::Invalid("iat is not a number"));
  assert_eq!(verify(&sign(1, Some("k0"), &json!({})), &k, NOW), Verdict::Invalid("bad signature or payload"));
  assert_eq!(verify(&sign(0, Some("other"), &json!({})), &k, NOW), Verdict::UnknownKey);
  assert_eq!(verify("abc", &k, NOW), Verdict::Invalid("not a JWT"));
  // HS256 with the public modulus as a secret, and `alg: none`, are refused.
  let hs = encode(&Header::new(Algorithm::HS256), &json!({}), &EncodingKey::from_secret(test_key(0).n.as_bytes()).unwrap()).unwrap();
  assert_eq!(verify(&hs, &k, NOW), Verdict::Invalid("algorithm not allowed"));
  let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
  let none = format!("{}.{}.", b64(r#"{"alg":"none","typ":"JWT"}"#), b64(r#"{"sid":"s"}"#));
  assert!(matches!(verify(&none, &k, NOW), Verdict::Invalid(_)));
  // A tampered payload fails the signature.
  let good = sign(0, Some("k0"), &json!({ "org_id": "org_1" }));
  let parts: Vec<&str> = good.split('.').collect();
  let forged = format!("{}.{}.{}", parts[0], b64(r#"{"org_id":"org_2"}"#), parts[2]);
  assert_eq!(verify(&forged, &k, NOW), Verdict::Invalid("bad signature or payload"));
}

#[test]
fn claims_are_read_without_verification() {
  let t = sign(1, None, &json!({ "org_id": "org_9" }));
  assert_eq!(claims(&t).unwrap()["org_id"], "org_9");
  assert_eq!(claims("nope"), None);
}
