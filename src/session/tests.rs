use serde_json::json;

use super::*;
use crate::client::resolve;
use crate::session::jwt::tests::{jwk_json, sign};
use crate::test_server::{serve_with, Received, Reply};

const PASSWORD: &str = "alongcookiesecretmadefortestingsessions";

fn client(base_url: &str) -> Client {
  let opts = JsValue::object(vec![
    ("apiHostname", JsValue::str(base_url.trim_start_matches("http://"))),
    ("https", JsValue::Bool(false)),
    ("clientId", JsValue::str("client_1")),
    ("maxRetries", JsValue::Number(0.0)),
  ]);
  let (identity, config) = resolve(&JsValue::str("sk_test"), &opts, &|_| None, "node").unwrap();
  Client::new(identity, config).unwrap()
}

fn cookie(access_token: &str) -> String {
  let data = json!({ "user": { "object": "user", "id": "user_1" }, "accessToken": access_token, "refreshToken": "rt_1" });
  seal::seal(&data.to_string(), PASSWORD).unwrap()
}

fn now() -> u64 {
  now_secs()
}

/// JWKS at /sso/jwks/client_1 (key k0); /user_management/authenticate answers with a fresh token.
async fn server() -> (crate::test_server::TestServer, String) {
  let fresh = sign(0, Some("k0"), &json!({ "sid": "s2", "org_id": "org_2", "exp": now() + 600 }));
  let token = fresh.clone();
  let server = serve_with(move |req: &Received| {
    if req.target == "/sso/jwks/client_1" {
      return Reply::Json(200, vec![], json!({ "keys": [jwk_json(0, "k0")] }).to_string());
    }
    if req.target == "/user_management/authenticate" {
      return Reply::Json(
        200,
        vec![],
        json!({ "user": { "object": "user", "id": "user_1" }, "access_token": token, "refresh_token": "rt_2", "authentication_method": "Password", "extra": 1 }).to_string(),
      );
    }
    Reply::Json(404, vec![], "{}".into())
  })
  .await;
  (server, fresh)
}

#[tokio::test]
async fn authenticate_fetches_the_jwks_once_and_then_decides_without_io() {
  let (server, _) = server().await;
  let c = client(&server.base_url);
  let token = sign(0, Some("k0"), &json!({ "sid": "s1", "org_id": "org_1", "role": "admin", "exp": now() + 600 }));
  let data = JsValue::str(cookie(&token));
  let r = authenticate(&c, &data, PASSWORD).await.unwrap();
  assert_eq!(r.get("authenticated"), &JsValue::Bool(true));
  assert_eq!(r.get("organizationId"), &JsValue::str("org_1"));
  let keys: Vec<_> = r.as_object().unwrap().props.iter().map(|(k, _)| k.as_str()).collect();
  assert_eq!(keys, ["authenticated", "sessionId", "organizationId", "role", "roles", "permissions", "entitlements", "featureFlags", "user", "authenticationMethod", "impersonator", "accessToken"]);
  let request = AuthRequest { cookie: data.as_str().map(str::to_string), password: Some(PASSWORD.into()), has_user: false };
  let now = authenticate_request_now(&c, &request).unwrap().unwrap().into_js();
  assert_eq!(now.get("session").get("role"), &JsValue::str("admin"));
  for _ in 0..20 {
    authenticate(&c, &data, PASSWORD).await.unwrap();
  }
  let jwks_requests = server.received.lock().unwrap().iter().filter(|r| r.target.starts_with("/sso/jwks")).count();
  assert_eq!(jwks_requests, 1);
  assert!(server.received.lock().unwrap()[0].header("authorization").is_none(), "the JWKS request carries no API key");
}

#[tokio::test]
async fn bad_cookies_and_tokens_are_reasons() {
  let (server, _) = server().await;
  let c = client(&server.base_url);
  let reason = |v: JsValue| v.get("reason").to_js_string();
  assert_eq!(reason(authenticate(&c, &JsValue::Undefined, PASSWORD).await.unwrap()), "no_session_cookie_provided");
  assert_eq!(reason(authenticate(&c, &JsValue::str("Fe26.2*garbage"), PASSWORD).await.unwrap()), "invalid_session_cookie");
  let unknown_kid = sign(0, Some("nope"), &json!({ "exp": now() + 600 }));
  assert_eq!(reason(authenticate(&c, &JsValue::str(cookie(&unknown_kid)), PASSWORD).await.unwrap()), "invalid_jwt");
  let other_key = sign(1, Some("k0"), &json!({ "exp": now() + 600 }));
  assert_eq!(reason(authenticate(&c, &JsValue::str(cookie(&other_key)), PASSWORD).await.unwrap()), "invalid_jwt");
  assert_eq!(authenticate(&c, &JsValue::str("x"), "short").await.unwrap_err(), Error::Plain(seal::SHORT_PASSWORD.into()));
}

#[tokio::test]
async fn an_expired_token_is_refreshed_once_with_a_new_cookie() {
  let (server, fresh) = server().await;
  let c = client(&server.base_url);
  let expired = sign(0, Some("k0"), &json!({ "sid": "s1", "org_id": "org_1", "exp": now() - 10 }));
  let request = AuthRequest { cookie: Some(cookie(&expired)), password: Some(PASSWORD.into()), has_user: false };
  let r = authenticate_request(&c, &request).await.unwrap().into_js();
  assert_eq!(r.get("allow"), &JsValue::Bool(true));
  assert_eq!(r.get("session").get("organizationId"), &JsValue::str("org_2"));
  let sealed = r.get("sealedSession").as_str().unwrap().to_string();
  let opened = open(&sealed, PASSWORD).unwrap();
  assert_eq!(opened["accessToken"], json!(fresh));
  assert_eq!(opened["organizationId"], json!("org_2"));
  let got = server.received.lock().unwrap().clone();
  let auth: Vec<_> = got.iter().filter(|r| r.target == "/user_management/authenticate").collect();
  assert_eq!(auth.len(), 1);
  let body: Json = serde_json::from_str(&auth[0].body).unwrap();
  assert_eq!(body, json!({ "grant_type": "refresh_token", "client_id": "client_1", "client_secret": "sk_test", "refresh_token": "rt_1", "organization_id": "org_1" }));
}

#[tokio::test]
async fn refresh_result_shape_and_unknown_wire_keys() {
  let (server, _) = server().await;
  let c = client(&server.base_url);
  let token = sign(0, Some("k0"), &json!({ "org_id": "org_1", "exp": now() + 600 }));
  let r = refresh(&c, &JsValue::str(cookie(&token)), PASSWORD, &JsValue::object(vec![("organizationId", JsValue::str("org_2"))])).await.unwrap();
  let keys: Vec<_> = r.as_object().unwrap().props.iter().map(|(k, _)| k.as_str()).collect();
  assert_eq!(keys, ["authenticated", "sealedSession", "session", "authenticationMethod", "sessionId", "organizationId", "role", "roles", "permissions", "entitlements", "featureFlags", "user", "impersonator"]);
  assert_eq!(r.get("session").get("extra"), &JsValue::Number(1.0));
  assert_eq!(r.get("session").get("oauthTokens"), &JsValue::Undefined);
  assert!(r.get("session").as_object().unwrap().has("oauthTokens"));
}

#[test]
fn cookie_header_parsing() {
  assert_eq!(cookie_value("a=1; wos-session=Fe26.2*x~2; b=2", "wos-session").as_deref(), Some("Fe26.2*x~2"));
  assert_eq!(cookie_value("wos-session=a%20b", "wos-session").as_deref(), Some("a b"));
  assert_eq!(cookie_value("other=1", "wos-session"), None);
}

#[tokio::test]
async fn without_a_session_the_apps_own_user_passes_with_nothing_to_set() {
  let (server, _) = server().await;
  let c = client(&server.base_url);
  let request = |cookie: Option<&str>, has_user| AuthRequest { cookie: cookie.map(str::to_string), password: Some(PASSWORD.into()), has_user };
  for r in [request(None, true), request(Some("Fe26.2*garbage"), true), AuthRequest { password: None, ..request(Some("x"), true) }] {
    assert_eq!(authenticate_request_now(&c, &r).unwrap(), Some(AuthDecision::Pass));
    assert_eq!(authenticate_request(&c, &r).await.unwrap(), AuthDecision::Pass);
  }
  assert_eq!(AuthDecision::Pass.into_js(), JsValue::object(vec![("allow", JsValue::Bool(true))]));
  let Some(AuthDecision::Decided(denied)) = authenticate_request_now(&c, &request(None, false)).unwrap() else { panic!("a decision object") };
  assert_eq!((denied.get("allow"), denied.get("status")), (&JsValue::Bool(false), &JsValue::Number(401.0)));
}

#[test]
fn the_cookie_password_is_looked_up_only_for_a_request_with_the_cookie() {
  let looked_up = std::cell::Cell::new(0);
  let env = || {
    looked_up.set(looked_up.get() + 1);
    Some("from the environment".to_string())
  };
  let r = AuthRequest::new(None, "wos-session", None, true, env);
  assert!(r.cookie.is_none() && r.password.is_none() && r.has_user);
  let r = AuthRequest::new(Some("other=1; theme=dark"), "wos-session", None, false, env);
  assert!(r.cookie.is_none() && r.password.is_none());
  assert_eq!(looked_up.get(), 0);
  let r = AuthRequest::new(Some("theme=dark; wos-session=abc%3D"), "wos-session", None, false, env);
  assert_eq!((r.cookie.as_deref(), r.password.as_deref()), (Some("abc="), Some("from the environment")));
  let r = AuthRequest::new(Some("wos-session=abc"), "wos-session", Some("option"), false, env);
  assert_eq!(r.password.as_deref(), Some("option"));
  let r = AuthRequest::new(Some("wos-session=abc"), "wos-session", Some(""), false, || None);
  assert_eq!(r.password, None);
  assert_eq!(looked_up.get(), 1);
}
