//! Sealed sessions and access tokens (sdk-8.13-surface.md §5.4, §6): the cookie the official SDK
//! seals opens here and the other way round. Unlike the official SDK, a bad cookie or token
//! always ends in a reason (`invalid_session_cookie`, `invalid_jwt`), never in a throw; only a
//! misconfiguration (no client id, no or short cookie password) or an unreachable API throws.

pub mod jwt;
pub mod seal;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{Map, Value as Json};

use crate::args::{self, nth};
use crate::client::Client;
use crate::errors::Error;
use crate::guards::single_flight::SingleFlight;
use crate::resources::user_management::user;
use crate::resources::model::Model;
use crate::transport::{path_segment, Method, Request};
use crate::value::{JsObject, JsValue};
use jwt::Verdict;
use seal::SealError;

/// How long after a fetch an unknown `kid` may make the JWKS be fetched again (jose's cooldown).
const JWKS_COOLDOWN: Duration = Duration::from_secs(300);
const NO_SESSION: &str = "no_session_cookie_provided";
const INVALID_COOKIE: &str = "invalid_session_cookie";
const INVALID_JWT: &str = "invalid_jwt";
const COOKIE_PASSWORD_REQUIRED: &str = "Cookie password is required";
/// Refresh failures that are answers, not errors.
const REFRESH_REASONS: [&str; 3] = ["invalid_grant", "mfa_enrollment", "sso_required"];

struct KeySet {
  keys: Vec<jsonwebtoken::jwk::Jwk>,
  fetched: Instant,
}

/// The client's JWKS: fetched once, refetched for an unknown key at most once per cooldown.
#[derive(Default)]
pub struct JwksCache {
  current: Mutex<Option<Arc<KeySet>>>,
  loads: SingleFlight<(), Result<Arc<KeySet>, Error>>,
}

impl JwksCache {
  fn cached(&self) -> Option<Arc<KeySet>> {
    self.current.lock().unwrap_or_else(|e| e.into_inner()).clone()
  }
}

async fn fetch_jwks(client: &Client, client_id: &str) -> Result<Arc<KeySet>, Error> {
  let load = || async {
    let path = format!("/sso/jwks/{}", path_segment("clientId", client_id)?);
    let res = client.transport.send(&Request::new(Method::Get, path).without_api_key()).await?;
    let doc: Json = serde_json::from_slice(&res.body)
      .map_err(|_| crate::errors::parse_error(None, &String::from_utf8_lossy(&res.body), res.status, &res.request_id))?;
    let set = Arc::new(KeySet { keys: jwt::parse_jwks(&doc), fetched: Instant::now() });
    *client.jwks.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(set.clone());
    Ok(set)
  };
  client.jwks.loads.run((), load).await
}

fn now_secs() -> u64 {
  SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0)
}

/// The verdict with the JWKS at hand, or `None` when the JWKS must be fetched first.
fn verify_cached(client: &Client, token: &str) -> Option<Verdict> {
  let keys = client.jwks.cached()?;
  match jwt::verify(token, &keys.keys, now_secs()) {
    Verdict::UnknownKey if keys.fetched.elapsed() >= JWKS_COOLDOWN => None,
    v => Some(v),
  }
}

/// Verifies an access token with the client's JWKS, fetching it when needed.
async fn verify_token(client: &Client, client_id: &str, token: &str) -> Result<Verdict, Error> {
  match verify_cached(client, token) {
    Some(v) => Ok(v),
    None => {
      let keys = fetch_jwks(client, client_id).await?;
      Ok(jwt::verify(token, &keys.keys, now_secs()))
    }
  }
}

/// The data inside a cookie, as `unsealData` returns it (any JSON value; `{}` for a cookie that
/// does not open, or whose text is not JSON, or is `null`).
fn open_value(sealed: &str, password: &str) -> Result<Json, Error> {
  match seal::unseal(sealed, password) {
    Err(SealError::ShortPassword) => Err(Error::Plain(seal::SHORT_PASSWORD.into())),
    Err(SealError::Invalid(_)) => Ok(Json::Object(Map::new())),
    Ok((text, version)) => {
      let data = match serde_json::from_str::<Json>(&text) {
        Ok(Json::Null) | Err(_) => Json::Object(Map::new()),
        Ok(v) => v,
      };
      Ok(match version {
        seal::Version::Absent | seal::Version::Number(Some(2)) => data,
        // Seals of other versions keep the data under `persistent` (`data.persistent ?? data`).
        seal::Version::Number(_) => match data.get("persistent") {
          Some(p) if !p.is_null() => p.clone(),
          _ => data,
        },
      })
    }
  }
}

/// The cookie's data as fields to read (a cookie holding something else has none).
fn open(sealed: &str, password: &str) -> Result<Map<String, Json>, Error> {
  Ok(match open_value(sealed, password)? {
    Json::Object(m) => m,
    _ => Map::new(),
  })
}

/// JavaScript truthiness of a JSON value.
fn truthy(v: Option<&Json>) -> bool {
  match v {
    None | Some(Json::Null) | Some(Json::Bool(false)) => false,
    Some(Json::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0 && !f.is_nan()),
    Some(Json::String(s)) => !s.is_empty(),
    Some(_) => true,
  }
}

fn field(map: &Map<String, Json>, key: &str) -> JsValue {
  map.get(key).map(JsValue::from_json).unwrap_or(JsValue::Undefined)
}

fn truthy_str<'a>(map: &'a Map<String, Json>, key: &str) -> Option<&'a str> {
  map.get(key).and_then(Json::as_str).filter(|s| !s.is_empty())
}

fn failure(reason: &str) -> JsValue {
  JsValue::object(vec![("authenticated", JsValue::Bool(false)), ("reason", JsValue::str(reason))])
}

/// The claims the SDK reads from an access token, in the order `pick` lists them.
fn claims_of(token: &str) -> Map<String, Json> {
  jwt::claims(token).unwrap_or_default()
}

const CLAIMS: [(&str, &str); 7] = [
  ("sessionId", "sid"),
  ("organizationId", "org_id"),
  ("role", "role"),
  ("roles", "roles"),
  ("permissions", "permissions"),
  ("entitlements", "entitlements"),
  ("featureFlags", "feature_flags"),
];

fn claim(claims: &Map<String, Json>, js_key: &str) -> JsValue {
  let wire = CLAIMS.iter().find(|(k, _)| *k == js_key).map(|(_, w)| *w).unwrap_or(js_key);
  field(claims, wire)
}

/// Which of the two authenticate results to build.
#[derive(Clone, Copy, PartialEq)]
pub enum Shape {
  /// `CookieSession.authenticate()`.
  CookieSession,
  /// `userManagement.authenticateWithSessionCookie()`: other key order, no `impersonator`.
  SessionCookie,
}

/// The outcome of checking a cookie, before it is shaped for a caller.
enum Checked {
  Failed(&'static str),
  /// The token's signature is good but it expired; a refresh may renew it.
  Expired,
  Valid { session: Map<String, Json>, claims: Map<String, Json> },
}

/// A cookie opened, with the token still to verify.
enum Opened {
  Done(Checked),
  Token { session: Map<String, Json>, token: String, client_id: String },
}

fn open_cookie(client: &Client, session_data: &JsValue, password: &str, missing_client: &str) -> Result<Opened, Error> {
  let Some(sealed) = session_data.as_str().filter(|s| !s.is_empty()) else { return Ok(Opened::Done(Checked::Failed(NO_SESSION))) };
  let session = open(sealed, password)?;
  if !truthy(session.get("accessToken")) {
    return Ok(Opened::Done(Checked::Failed(INVALID_COOKIE)));
  }
  let client_id = client.identity.option_client_id.clone().ok_or_else(|| Error::Plain(missing_client.into()))?;
  // A token that is not a string is no JWT.
  let Some(token) = session.get("accessToken").and_then(Json::as_str).map(str::to_string) else {
    return Ok(Opened::Done(Checked::Failed(INVALID_JWT)));
  };
  Ok(Opened::Token { session, token, client_id })
}

fn judge(session: Map<String, Json>, verdict: Verdict) -> Checked {
  match verdict {
    Verdict::Valid(claims) => Checked::Valid { session, claims },
    Verdict::Expired => Checked::Expired,
    Verdict::UnknownKey | Verdict::Invalid(_) => Checked::Failed(INVALID_JWT),
  }
}

async fn check(client: &Client, session_data: &JsValue, password: &str, missing_client: &str) -> Result<Checked, Error> {
  match open_cookie(client, session_data, password, missing_client)? {
    Opened::Done(c) => Ok(c),
    Opened::Token { session, token, client_id } => Ok(judge(session, verify_token(client, &client_id, &token).await?)),
  }
}

/// `check` without I/O: `None` when the JWKS must be fetched.
fn check_now(client: &Client, session_data: &JsValue, password: &str, missing_client: &str) -> Result<Option<Checked>, Error> {
  Ok(match open_cookie(client, session_data, password, missing_client)? {
    Opened::Done(c) => Some(c),
    Opened::Token { session, token, .. } => verify_cached(client, &token).map(|v| judge(session, v)),
  })
}

fn shape_success(shape: Shape, session: &Map<String, Json>, claims: &Map<String, Json>) -> JsValue {
  let mut o = JsObject::with_capacity(12);
  o.set("authenticated", JsValue::Bool(true));
  let order: &[&str] = match shape {
    Shape::CookieSession => &[
      "sessionId", "organizationId", "role", "roles", "permissions", "entitlements", "featureFlags",
      "user", "authenticationMethod", "impersonator", "accessToken",
    ],
    Shape::SessionCookie => &[
      "sessionId", "organizationId", "role", "roles", "user", "permissions", "entitlements", "featureFlags",
      "accessToken", "authenticationMethod",
    ],
  };
  for key in order {
    let v = match *key {
      "user" | "authenticationMethod" | "impersonator" | "accessToken" => field(session, key),
      k => claim(claims, k),
    };
    o.props.push(((*key).into(), v));
  }
  JsValue::Object(o)
}

/// `CookieSession.authenticate()`.
pub async fn authenticate(client: &Client, session_data: &JsValue, password: &str) -> Result<JsValue, Error> {
  Ok(match check(client, session_data, password, MISSING_CLIENT).await? {
    Checked::Failed(reason) => failure(reason),
    Checked::Expired => failure(INVALID_JWT),
    Checked::Valid { session, claims } => shape_success(Shape::CookieSession, &session, &claims),
  })
}

/// The cookie password argument, or `WORKOS_COOKIE_PASSWORD` when it is `undefined`.
fn cookie_password(v: &JsValue, env: &dyn Fn(&str) -> Option<String>) -> Result<String, Error> {
  let password = match v {
    JsValue::Undefined => env("WORKOS_COOKIE_PASSWORD").map(JsValue::str).unwrap_or(JsValue::Undefined),
    other => other.clone(),
  };
  match password {
    JsValue::String(p) if !p.is_empty() => Ok(p.to_string()),
    JsValue::Undefined | JsValue::Null | JsValue::String(_) => Err(Error::Plain(COOKIE_PASSWORD_REQUIRED.into())),
    other => Err(Error::type_error(format!("cookiePassword must be a string, got {}", args::type_name(&other)))),
  }
}

/// `userManagement.authenticateWithSessionCookie({ sessionData, cookiePassword })`.
pub async fn authenticate_with_session_cookie(client: &Client, a: &[JsValue], env: &(dyn Fn(&str) -> Option<String> + Sync)) -> Result<JsValue, Error> {
  let o = args::options(nth(a, 0), "options", true)?;
  let password = cookie_password(o.raw("cookiePassword"), env)?;
  if client.identity.option_client_id.is_none() {
    return Err(Error::Plain("Must provide clientId to initialize JWKS".into()));
  }
  Ok(match check(client, o.raw("sessionData"), &password, "Must provide clientId to initialize JWKS").await? {
    Checked::Failed(reason) => failure(reason),
    Checked::Expired => failure(INVALID_JWT),
    Checked::Valid { session, claims } => shape_success(Shape::SessionCookie, &session, &claims),
  })
}

/// `userManagement.getSessionFromCookie({ sessionData, cookiePassword })`: the data inside, no
/// token check.
pub fn get_session_from_cookie(a: &[JsValue], env: &dyn Fn(&str) -> Option<String>) -> Result<JsValue, Error> {
  let o = args::options(nth(a, 0), "options", true)?;
  let password = cookie_password(o.raw("cookiePassword"), env)?;
  match o.raw("sessionData") {
    JsValue::String(s) if !s.is_empty() => Ok(JsValue::from_json(&open_value(s, &password)?)),
    _ => Ok(JsValue::Undefined),
  }
}

/// `new CookieSession(...)`'s check: the password must be given.
pub fn check_cookie_session_password(v: &JsValue) -> Result<String, Error> {
  match v {
    JsValue::String(p) if !p.is_empty() => Ok(p.to_string()),
    JsValue::Undefined | JsValue::Null | JsValue::String(_) | JsValue::Bool(false) => Err(Error::Plain("cookiePassword is required".into())),
    other => Err(Error::type_error(format!("cookiePassword must be a string, got {}", args::type_name(other)))),
  }
}

// ---- authenticateWithRefreshToken ----

fn oauth_tokens(w: &JsValue) -> JsValue {
  if !w.truthy() {
    return JsValue::Undefined;
  }
  Model::from(w)
    .copy("accessToken", "access_token")
    .copy("refreshToken", "refresh_token")
    .copy("expiresAt", "expires_at")
    .same(&["scopes"])
    .build()
}

/// The AuthenticationResponse deserializer: known fields camelCased, every other wire key kept.
fn authentication_response(w: &JsValue) -> JsValue {
  const KNOWN: [&str; 7] = ["user", "organization_id", "access_token", "refresh_token", "authentication_method", "impersonator", "oauth_tokens"];
  let mut o = JsObject::with_capacity(10);
  o.set("user", user(w.get("user")));
  for (key, wire) in [("organizationId", "organization_id"), ("accessToken", "access_token"), ("refreshToken", "refresh_token"), ("impersonator", "impersonator"), ("authenticationMethod", "authentication_method")] {
    o.props.push((key.into(), w.get(wire).clone()));
  }
  o.props.push(("oauthTokens".into(), oauth_tokens(w.get("oauth_tokens"))));
  if let Some(wire) = w.as_object() {
    for (k, v) in wire.props.iter().filter(|(k, _)| !KNOWN.contains(&k.as_str())) {
      o.set(k, v.clone());
    }
  }
  JsValue::Object(o)
}

/// The cookie the SDK seals after an authentication (§6.1).
fn seal_session(response: &JsValue, password: &str) -> Result<String, Error> {
  let token = response.get("accessToken").as_str().unwrap_or_default();
  let data = JsValue::object(vec![
    ("organizationId", field(&claims_of(token), "org_id")),
    ("user", response.get("user").clone()),
    ("accessToken", response.get("accessToken").clone()),
    ("refreshToken", response.get("refreshToken").clone()),
    ("authenticationMethod", response.get("authenticationMethod").clone()),
    ("impersonator", response.get("impersonator").clone()),
  ]);
  seal::seal(&data.to_json_text().unwrap_or_default(), password).map_err(|e| Error::Plain(e.to_string()))
}

/// `userManagement.authenticateWithRefreshToken(payload)`.
pub async fn authenticate_with_refresh_token(client: &Client, a: &[JsValue]) -> Result<JsValue, Error> {
  let p = args::options(nth(a, 0), "payload", true)?;
  let refresh_token = p.required_string("refreshToken")?;
  let client_id = match p.string("clientId")? {
    JsValue::String(c) => Some(c.to_string()),
    _ => client.identity.option_client_id.clone(),
  }
  .ok_or_else(|| Error::type_error("clientId is required. Provide it in method options or when initializing WorkOS."))?;
  let session = args::options(p.raw("session"), "payload.session", false)?;
  let seal_password = if session.raw("sealSession").truthy() { Some(session.string("cookiePassword")?) } else { None };
  let api_key = client.identity.api_key.clone();
  let mut body = vec![("grant_type", JsValue::str("refresh_token")), ("client_id", JsValue::str(client_id))];
  if let Some(key) = &api_key {
    body.push(("client_secret", JsValue::str(key.clone())));
  }
  body.extend([
    ("refresh_token", JsValue::str(refresh_token)),
    ("organization_id", p.string("organizationId")?),
    ("ip_address", p.string("ipAddress")?),
    ("user_agent", p.string("userAgent")?),
  ]);
  let mut request = Request::new(Method::Post, "/user_management/authenticate".into()).with_json(&JsValue::object(body));
  if api_key.is_none() {
    // A public client authenticates without the API key.
    request = request.without_api_key();
  }
  let res = client.transport.send(&request).await?;
  let mut response = authentication_response(&res.json()?);
  if let Some(password) = seal_password {
    if api_key.is_none() {
      return Err(Error::Plain("Session sealing requires server-side usage with an API key. Public clients should store tokens directly (e.g., secure storage on mobile, keychain on desktop).".into()));
    }
    let JsValue::String(password) = password else { return Err(Error::Plain(COOKIE_PASSWORD_REQUIRED.into())) };
    let sealed = seal_session(&response, &password)?;
    if let JsValue::Object(o) = &mut response {
      o.set("sealedSession", JsValue::str(sealed));
    }
  }
  Ok(response)
}

/// `CookieSession.refresh({ organizationId?, cookiePassword? })`.
pub async fn refresh(client: &Client, session_data: &JsValue, password: &str, options: &JsValue) -> Result<JsValue, Error> {
  let o = args::options(options, "options", false)?;
  let new_password = match o.string("cookiePassword")? {
    JsValue::String(p) if !p.is_empty() => p.to_string(),
    _ => password.to_string(),
  };
  let session = match session_data.as_str().filter(|s| !s.is_empty()) {
    Some(sealed) => open(sealed, password)?,
    None => Map::new(),
  };
  if !truthy(session.get("refreshToken")) || !truthy(session.get("user")) {
    return Ok(failure(INVALID_COOKIE));
  }
  // A refresh token that is not a string cannot be sent as one: the cookie is unusable.
  let (Some(refresh_token), Some(old_user)) = (session.get("refreshToken").and_then(Json::as_str), session.get("user")) else {
    return Ok(failure(INVALID_COOKIE));
  };
  let old_claims = claims_of(truthy_str(&session, "accessToken").unwrap_or_default());
  let organization_id = match o.string("organizationId")? {
    JsValue::String(id) => JsValue::String(id),
    _ => field(&old_claims, "org_id"),
  };
  let client_id = client.identity.option_client_id.clone().map(JsValue::str).unwrap_or(JsValue::Undefined);
  let payload = JsValue::object(vec![
    ("clientId", client_id),
    ("refreshToken", JsValue::str(refresh_token)),
    ("organizationId", organization_id),
    ("session", JsValue::object(vec![("sealSession", JsValue::Bool(true)), ("cookiePassword", JsValue::str(new_password))])),
  ]);
  let response = match authenticate_with_refresh_token(client, &[payload]).await {
    Ok(r) => r,
    Err(Error::Exception { class: "OauthException", args }) if args.get(2).and_then(JsValue::as_str).is_some_and(|e| REFRESH_REASONS.contains(&e)) => {
      return Ok(failure(args[2].as_str().unwrap_or_default()));
    }
    Err(e) => return Err(e),
  };
  let claims = claims_of(response.get("accessToken").as_str().unwrap_or_default());
  let mut out = JsObject::with_capacity(14);
  out.set("authenticated", JsValue::Bool(true));
  out.set("sealedSession", response.get("sealedSession").clone());
  out.set("authenticationMethod", response.get("authenticationMethod").clone());
  out.props.insert(2, ("session".into(), response));
  for (key, _) in CLAIMS {
    out.props.push(((*key).into(), claim(&claims, key)));
  }
  // As in the official SDK, the user and impersonator come from the old cookie.
  out.props.push(("user".into(), JsValue::from_json(old_user)));
  out.props.push(("impersonator".into(), field(&session, "impersonator")));
  Ok(JsValue::Object(out))
}

/// `CookieSession.getLogoutUrl({ returnTo? })`: needs an authenticated session for its id.
pub async fn logout_url(client: &Client, session_data: &JsValue, password: &str, options: &JsValue) -> Result<JsValue, Error> {
  let o = args::options(options, "options", false)?;
  let result = authenticate(client, session_data, password).await?;
  if result.get("authenticated") != &JsValue::Bool(true) {
    return Err(Error::Plain(format!("Failed to extract session ID for logout URL: {}", result.get("reason").to_js_string())));
  }
  let args = JsValue::object(vec![("sessionId", result.get("sessionId").clone()), ("returnTo", o.string("returnTo")?)]);
  crate::resources::user_management::logout_url(&client.identity.base_url, &args)
}

// ---- requireAuth ----

/// The value of cookie `name` in a `Cookie` header, percent-decoded as cookie parsers do.
pub fn cookie_value(header: &str, name: &str) -> Option<String> {
  header.split(';').find_map(|pair| {
    let (k, v) = pair.split_once('=')?;
    if k.trim() != name {
      return None;
    }
    let v = v.trim().trim_matches('"');
    Some(percent_encoding::percent_decode_str(v).decode_utf8().map(|s| s.into_owned()).unwrap_or_else(|_| v.to_string()))
  })
}

/// What `requireAuth` needs to know of a request.
pub struct AuthRequest {
  /// The session cookie's value, if the request has one.
  pub cookie: Option<String>,
  /// The cookie password (`cookiePassword` option or `WORKOS_COOKIE_PASSWORD`), if any.
  pub password: Option<String>,
  /// Whether the app's own authentication set a user (`req.user.id`).
  pub has_user: bool,
}

impl AuthRequest {
  /// The request with cookie header `header`: the password (`password`, else what
  /// `env_password` gives) is looked up only when the request carries the cookie, since
  /// without one the decision is the same with or without a password.
  pub fn new(header: Option<&str>, cookie_name: &str, password: Option<&str>, has_user: bool, env_password: impl FnOnce() -> Option<String>) -> AuthRequest {
    let cookie = header.and_then(|h| cookie_value(h, cookie_name));
    let password = match cookie {
      None => None,
      Some(_) => password.filter(|p| !p.is_empty()).map(str::to_string).or_else(|| env_password().filter(|p| !p.is_empty())),
    };
    AuthRequest { cookie, password, has_user }
  }
}

const MISSING_CLIENT: &str = "Missing client ID. Did you provide it when initializing WorkOS?";

fn allowed(session: &Map<String, Json>, claims: &Map<String, Json>, sealed: Option<String>) -> JsValue {
  let mut s = JsObject::with_capacity(8);
  for (key, _) in CLAIMS {
    s.props.push(((*key).into(), claim(claims, key)));
  }
  s.props.push(("impersonator".into(), field(session, "impersonator")));
  let mut o = JsObject::with_capacity(4);
  o.set("allow", JsValue::Bool(true));
  o.set("user", field(session, "user"));
  o.set("session", JsValue::Object(s));
  if let Some(sealed) = sealed {
    o.set("sealedSession", JsValue::str(sealed));
  }
  JsValue::Object(o)
}

/// What `requireAuth` decides for a request.
#[derive(Debug, Clone, PartialEq)]
pub enum AuthDecision {
  /// Let through with nothing to set on the request: no valid session, but a user the app
  /// authenticated itself (the common case, so no object is made for it).
  Pass,
  /// `{ allow: true, user, session, sealedSession? }`, or a 401 denial.
  Decided(JsValue),
}

impl AuthDecision {
  pub fn into_js(self) -> JsValue {
    match self {
      AuthDecision::Pass => JsValue::object(vec![("allow", JsValue::Bool(true))]),
      AuthDecision::Decided(v) => v,
    }
  }
}

/// Without a valid session, a user the app authenticated itself still passes.
fn without_session(r: &AuthRequest) -> AuthDecision {
  match crate::guards::user_decision(r.has_user) {
    Ok(()) => AuthDecision::Pass,
    Err(d) => AuthDecision::Decided(crate::guards::deny_to_js(&d)),
  }
}

/// `requireAuth` without I/O, or `None` when the JWKS must be fetched or an expired token
/// refreshed.
pub fn authenticate_request_now(client: &Client, r: &AuthRequest) -> Result<Option<AuthDecision>, Error> {
  let Some(password) = r.password.as_deref() else { return Ok(Some(without_session(r))) };
  let data = r.cookie.clone().map(JsValue::str).unwrap_or(JsValue::Undefined);
  Ok(match check_now(client, &data, password, MISSING_CLIENT)? {
    Some(Checked::Valid { session, claims }) => Some(AuthDecision::Decided(allowed(&session, &claims, None))),
    Some(Checked::Failed(_)) => Some(without_session(r)),
    Some(Checked::Expired) | None => None,
  })
}

/// `requireAuth` with a session cookie: as `authenticate_request_now`, fetching the JWKS when
/// needed, and refreshing an expired token once (`sealedSession` is then the cookie to set).
pub async fn authenticate_request(client: &Client, r: &AuthRequest) -> Result<AuthDecision, Error> {
  let Some(password) = r.password.as_deref() else { return Ok(without_session(r)) };
  let data = r.cookie.clone().map(JsValue::str).unwrap_or(JsValue::Undefined);
  Ok(match check(client, &data, password, MISSING_CLIENT).await? {
    Checked::Valid { session, claims } => AuthDecision::Decided(allowed(&session, &claims, None)),
    Checked::Failed(_) => without_session(r),
    Checked::Expired => {
      let refreshed = refresh(client, &data, password, &JsValue::Undefined).await?;
      match refreshed.get("sealedSession") {
        JsValue::String(sealed) => {
          let session = open(sealed, password)?;
          let claims = claims_of(truthy_str(&session, "accessToken").unwrap_or_default());
          AuthDecision::Decided(allowed(&session, &claims, Some(sealed.to_string())))
        }
        _ => without_session(r),
      }
    }
  })
}

#[cfg(test)]
mod tests;
