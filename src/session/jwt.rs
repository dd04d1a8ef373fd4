//! Access-token verification: RS256 only, against the client's JWKS, with jose's time rules
//! (`exp` fails when `exp <= now`, `nbf` when `nbf > now`, no clock tolerance). Every defect is
//! a verdict, never a panic or a throw.

use jsonwebtoken::jwk::{Jwk, KeyAlgorithm, KeyOperations, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value as Json};

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
  Valid(Map<String, Json>),
  /// The signature is good but the token has expired: a refresh may help.
  Expired,
  /// No key of the set matches the token's `kid` (the set may be stale).
  UnknownKey,
  Invalid(&'static str),
}

/// The keys of a JWKS document; keys that cannot be read are skipped.
pub fn parse_jwks(doc: &Json) -> Vec<Jwk> {
  match doc.get("keys") {
    Some(Json::Array(keys)) => keys.iter().filter_map(|k| serde_json::from_value(k.clone()).ok()).collect(),
    _ => Vec::new(),
  }
}

/// The payload, unverified (`decodeJwt`), or `None` for anything that is not a JWT.
pub fn claims(token: &str) -> Option<Map<String, Json>> {
  jsonwebtoken::dangerous::insecure_decode_claims::<Map<String, Json>>(token).ok()
}

fn usable(jwk: &Jwk, kid: Option<&str>) -> bool {
  let c = &jwk.common;
  matches!(jwk.algorithm, jsonwebtoken::jwk::AlgorithmParameters::RSA(_))
    && kid.is_none_or(|k| c.key_id.as_deref() == Some(k))
    && c.key_algorithm.is_none_or(|a| a == KeyAlgorithm::RS256)
    && c.public_key_use.as_ref().is_none_or(|u| *u == PublicKeyUse::Signature)
    && c.key_operations.as_ref().is_none_or(|ops| ops.contains(&KeyOperations::Verify))
}

/// Verifies `token` with `keys` at `now` (seconds since the epoch).
pub fn verify(token: &str, keys: &[Jwk], now: u64) -> Verdict {
  let Ok(header) = jsonwebtoken::decode_header(token) else { return Verdict::Invalid("not a JWT") };
  if header.alg != Algorithm::RS256 {
    return Verdict::Invalid("algorithm not allowed");
  }
  let candidates: Vec<&Jwk> = keys.iter().filter(|k| usable(k, header.kid.as_deref())).collect();
  let jwk = match candidates.as_slice() {
    [] => return Verdict::UnknownKey,
    [one] => *one,
    _ => return Verdict::Invalid("several keys match"),
  };
  let Ok(key) = DecodingKey::from_jwk(jwk) else { return Verdict::Invalid("unusable key") };
  let mut validation = Validation::new(Algorithm::RS256);
  validation.validate_exp = false;
  validation.validate_nbf = false;
  validation.validate_aud = false;
  validation.required_spec_claims.clear();
  let claims = match jsonwebtoken::decode::<Map<String, Json>>(token, &key, &validation) {
    Ok(data) => data.claims,
    Err(_) => return Verdict::Invalid("bad signature or payload"),
  };
  let number = |k: &str| claims.get(k).map(|v| v.as_f64());
  if number("iat") == Some(None) {
    return Verdict::Invalid("iat is not a number");
  }
  match number("nbf") {
    Some(None) => return Verdict::Invalid("nbf is not a number"),
    Some(Some(nbf)) if nbf > now as f64 => return Verdict::Invalid("not yet valid"),
    _ => {}
  }
  match number("exp") {
    Some(None) => Verdict::Invalid("exp is not a number"),
    Some(Some(exp)) if exp <= now as f64 => Verdict::Expired,
    _ => Verdict::Valid(claims),
  }
}

#[cfg(test)]
pub(crate) mod tests;
