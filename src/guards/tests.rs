use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::client::resolve;
use crate::test_server::{serve_with, Received, Reply, TestServer};

struct World {
  server: TestServer,
  membership_calls: Arc<AtomicUsize>,
  organization_calls: Arc<AtomicUsize>,
  flag_calls: Arc<AtomicUsize>,
}

/// user_1: active admin of org_a, inactive in org_b, pending in org_c. org_a has flag `analytics`.
/// `fail` makes every call answer 500.
async fn world(fail: bool) -> World {
  let (m, o, f) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
  let (m2, o2, f2) = (m.clone(), o.clone(), f.clone());
  let server = serve_with(move |req: &Received| {
    let path = req.target.split('?').next().unwrap_or("");
    if fail {
      if path == "/user_management/organization_memberships" {
        m2.fetch_add(1, Ordering::SeqCst);
      }
      return Reply::Json(500, vec![], r#"{"message":"down"}"#.into());
    }
    let list = |items: &str| Reply::Json(200, vec![], format!(r#"{{"object":"list","data":[{items}],"list_metadata":{{"before":null,"after":null}}}}"#));
    if path == "/user_management/organization_memberships" {
      m2.fetch_add(1, Ordering::SeqCst);
      if req.target.contains("user_id=user_1") {
        return list(
          r#"{"object":"organization_membership","id":"om_a","user_id":"user_1","organization_id":"org_a","status":"active","role":{"slug":"admin"}},
             {"object":"organization_membership","id":"om_b","user_id":"user_1","organization_id":"org_b","status":"inactive","role":{"slug":"owner"}},
             {"object":"organization_membership","id":"om_c","user_id":"user_1","organization_id":"org_c","status":"pending","role":{"slug":"owner"}}"#,
        );
      }
      return list("");
    }
    if let Some(id) = path.strip_prefix("/organizations/") {
      if let Some(org) = id.strip_suffix("/feature-flags") {
        f2.fetch_add(1, Ordering::SeqCst);
        return if org == "org_a" { list(r#"{"slug":"analytics","enabled":true},{"slug":"beta","enabled":false}"#) } else { list("") };
      }
      o2.fetch_add(1, Ordering::SeqCst);
      return if id.starts_with("org_") && id.len() == 5 {
        Reply::Json(200, vec![], format!(r#"{{"object":"organization","id":"{id}","name":"N","domains":[]}}"#))
      } else {
        Reply::Json(404, vec![], r#"{"message":"Organization not found"}"#.into())
      };
    }
    Reply::Json(404, vec![], "{}".into())
  })
  .await;
  World { server, membership_calls: m, organization_calls: o, flag_calls: f }
}

fn guards(w: &World, options: GuardOptions) -> Arc<Guards> {
  let opts = JsValue::object(vec![
    ("apiHostname", JsValue::str(w.server.base_url.trim_start_matches("http://"))),
    ("https", JsValue::Bool(false)),
    ("maxRetries", JsValue::Number(0.0)),
  ]);
  let (identity, config) = resolve(&JsValue::str("sk_test"), &opts, &|_| None, "node").unwrap();
  Arc::new(Guards::new(Arc::new(Client::new(identity, config).unwrap()), options))
}

fn denied(d: &Decision) -> (u16, &str) {
  match d {
    Decision::Deny(d) => (d.status, d.message.as_str()),
    Decision::Allow { .. } => (200, "allowed"),
  }
}

#[tokio::test]
async fn member_allowed_then_served_from_cache_without_io() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  assert!(g.organization_now(Some("user_1"), Some("org_a")).is_none());
  let d = g.organization(Some("user_1"), Some("org_a")).await;
  let Decision::Allow { membership, organization } = &d else { panic!("{d:?}") };
  assert_eq!(membership.get("id"), &JsValue::str("om_a"));
  assert_eq!(organization.get("id"), &JsValue::str("org_a"));
  assert_eq!(g.organization_now(Some("user_1"), Some("org_a")), Some(d));
  assert_eq!((w.membership_calls.load(Ordering::SeqCst), w.organization_calls.load(Ordering::SeqCst)), (1, 1));
}

#[tokio::test]
async fn only_active_memberships_grant_access() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  for org in ["org_b", "org_c", "org_z"] {
    assert_eq!(denied(&g.organization(Some("user_1"), Some(org)).await), (403, "Not a member of this organization"), "{org}");
  }
  assert_eq!(denied(&g.organization(Some("user_2"), Some("org_a")).await), (403, "Not a member of this organization"));
  assert_eq!(denied(&g.organization(Some("user_1"), None).await), (400, "Missing organization context"));
  assert_eq!(denied(&g.organization(None, Some("org_a")).await), (401, "Not authenticated"));
}

#[tokio::test]
async fn concurrent_first_requests_make_one_membership_call() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  let tasks: Vec<_> = (0..200)
    .map(|_| {
      let g = g.clone();
      tokio::spawn(async move { g.organization(Some("user_1"), Some("org_a")).await })
    })
    .collect();
  for t in tasks {
    assert!(matches!(t.await.unwrap(), Decision::Allow { .. }));
  }
  assert_eq!(w.membership_calls.load(Ordering::SeqCst), 1);
  assert_eq!(w.organization_calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_flood_of_made_up_organizations_costs_a_bounded_number_of_calls() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  let tasks: Vec<_> = (0..500)
    .map(|i| {
      let g = g.clone();
      tokio::spawn(async move { g.organization(Some("user_1"), Some(&format!("org_fake_{i}"))).await })
    })
    .collect();
  for t in tasks {
    assert_eq!(denied(&t.await.unwrap()), (403, "Not a member of this organization"));
  }
  for i in 500..1000 {
    assert_eq!(denied(&g.organization(Some("user_1"), Some(&format!("org_fake_{i}"))).await), (403, "Not a member of this organization"));
  }
  let calls = w.membership_calls.load(Ordering::SeqCst) + w.organization_calls.load(Ordering::SeqCst);
  assert!(calls <= 4, "{calls} calls for 1000 made-up organizations");
}

#[tokio::test]
async fn failures_deny_with_500_and_are_not_cached() {
  let w = world(true).await;
  let g = guards(&w, GuardOptions::default());
  let d = g.organization(Some("user_1"), Some("org_a")).await;
  assert_eq!(denied(&d), (500, "Failed to verify organization access"));
  let Decision::Deny(denial) = d else { unreachable!() };
  assert_eq!(denial.cause.unwrap().status(), Some(500));
  g.organization(Some("user_1"), Some("org_a")).await;
  // The failure was not cached: the second request asked again.
  assert_eq!(w.membership_calls.load(Ordering::SeqCst), 2);
  assert_eq!(denied_feature(g.feature(Some("org_a"), "analytics").await), (500, "Failed to verify feature access".into()));
}

fn denied_feature(r: Result<(), Denial>) -> (u16, String) {
  match r {
    Ok(()) => (200, "allowed".into()),
    Err(d) => (d.status, d.message),
  }
}

#[tokio::test]
async fn features_are_cached_per_organization() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  assert_eq!(g.feature_now(Some("org_a"), "analytics"), None);
  assert_eq!(denied_feature(g.feature(Some("org_a"), "analytics").await), (200, "allowed".into()));
  assert_eq!(g.feature_now(Some("org_a"), "analytics").map(|r| r.map(|_| ())), Some(Ok(())));
  assert_eq!(
    denied_feature(g.feature(Some("org_a"), "beta").await),
    (403, "Feature 'beta' not available for this organization".into())
  );
  assert_eq!(w.flag_calls.load(Ordering::SeqCst), 1);
  assert_eq!(denied_feature(g.feature(None, "beta").await), (400, "Missing organization context".into()));
}

#[tokio::test]
async fn writes_through_the_client_and_invalidate_take_effect() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  g.organization(Some("user_1"), Some("org_a")).await;
  // A deactivation answered for user_1 forgets user_1's memberships.
  g.caches.apply(&Effect::Membership, &JsValue::object(vec![("userId", JsValue::str("user_1")), ("organizationId", JsValue::str("org_a"))]));
  assert!(g.organization_now(Some("user_1"), Some("org_a")).is_none());
  g.organization(Some("user_1"), Some("org_a")).await;
  g.caches.apply(&Effect::MembershipId("om_a".into()), &JsValue::Undefined);
  assert!(g.organization_now(Some("user_1"), Some("org_a")).is_none());
  g.organization(Some("user_1"), Some("org_a")).await;
  g.caches.invalidate(None, Some("org_a"));
  assert!(g.organization_now(Some("user_1"), Some("org_a")).is_none());
  g.organization(Some("user_1"), Some("org_a")).await;
  g.caches.clear();
  assert!(g.organization_now(Some("user_1"), Some("org_a")).is_none());
}

#[tokio::test]
async fn zero_ttl_disables_caching() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions { ttl: Duration::ZERO, ..GuardOptions::default() });
  g.organization(Some("user_1"), Some("org_a")).await;
  g.organization(Some("user_1"), Some("org_a")).await;
  assert_eq!(w.membership_calls.load(Ordering::SeqCst), 2);
}

#[test]
fn roles_come_from_role_and_roles() {
  let m = |json: &str| JsValue::from_json(&serde_json::from_str(json).unwrap());
  let allowed = vec!["admin".to_string(), "owner".to_string()];
  assert!(role_decision(&m(r#"{"status":"active","role":{"slug":"admin"}}"#), &allowed).is_ok());
  assert!(role_decision(&m(r#"{"status":"active","role":{"slug":"member"},"roles":[{"slug":"member"},{"slug":"owner"}]}"#), &allowed).is_ok());
  let d = role_decision(&m(r#"{"status":"active","role":{"slug":"member"}}"#), &allowed).unwrap_err();
  assert_eq!((d.status, d.message.as_str()), (403, "Requires one of: admin, owner"));
  let d = role_decision(&m(r#"{"status":"inactive","role":{"slug":"admin"}}"#), &allowed).unwrap_err();
  assert_eq!(d.message, "No organization membership");
  assert_eq!(role_decision(&JsValue::Undefined, &allowed).unwrap_err().message, "No organization membership");
}

#[tokio::test]
async fn warm_decision_text_is_reused_until_its_inputs_change() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  assert!(g.organization_now_text(Some("user_1"), Some("org_a")).is_none());
  g.organization(Some("user_1"), Some("org_a")).await;
  let first = g.organization_now_text(Some("user_1"), Some("org_a")).unwrap();
  assert!(first.text.contains(r#""allow":true"#) && first.text.contains(r#""slug":"admin""#), "{}", first.text);
  let again = g.organization_now_text(Some("user_1"), Some("org_a")).unwrap();
  assert!(Arc::ptr_eq(&first.text, &again.text));
  assert_eq!((first.id.is_some(), first.id), (true, again.id));
  // Only the call that made a decision's text says it is new (its text goes out with its id).
  assert!(first.new && !again.new);
  // A reloaded organization record makes a new decision text, with a new id.
  g.caches.invalidate(Some("user_1"), Some("org_a"));
  g.organization(Some("user_1"), Some("org_a")).await;
  let second = g.organization_now_text(Some("user_1"), Some("org_a")).unwrap();
  assert!(!Arc::ptr_eq(&first.text, &second.text));
  assert_eq!(*first.text, *second.text);
  assert!(second.id.is_some() && second.id != first.id);
  assert!(second.new);
  // Denials are not cached decisions: text only, no id.
  let missing = g.organization_now_text(Some("user_1"), None).unwrap();
  assert!(missing.id.is_none() && missing.text.contains("Missing organization context"));
  assert!(!missing.new);
}

#[tokio::test]
async fn the_front_cache_answers_warm_requests_and_forgets_with_every_invalidation() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  g.organization(Some("user_1"), Some("org_a")).await;
  let first = g.organization_now_text(Some("user_1"), Some("org_a")).unwrap();
  let id = first.id.unwrap();
  // requireRole by decision id: the roles of the membership that decision allowed.
  let admins: Vec<String> = vec!["admin".into()];
  let owners: Vec<String> = vec!["owner".into()];
  assert_eq!(g.role_now(id, &admins), Some(Ok(())));
  assert_eq!(g.role_now(id, &owners).unwrap().unwrap_err().message, "Requires one of: owner");
  assert_eq!(g.role_now(id + 1_000, &admins), None, "an unknown decision is not guessed");
  // Every registered role gate at once, for the JavaScript side to keep with the decision.
  let admin_gate = g.gate_index(Gate::Role(admins.clone().into())).unwrap();
  let _feature = g.gate_index(Gate::Feature("analytics".into())).unwrap();
  let owner_gate = g.gate_index(Gate::Role(owners.clone().into())).unwrap();
  let either = g.gate_index(Gate::Role(vec!["owner".to_string(), "admin".to_string()].into())).unwrap();
  assert_eq!(g.role_verdicts(id), Some(vec![admin_gate, either]));
  assert!(!g.role_verdicts(id).unwrap().contains(&owner_gate));
  assert_eq!(g.role_verdicts(id + 1_000), None);
  // Served from the front: same text, same id, even with the moka records gone from view.
  g.caches.memberships.invalidate("user_1");
  g.caches.memberships.run_pending_tasks();
  let again = g.organization_now_text(Some("user_1"), Some("org_a")).unwrap();
  assert!(Arc::ptr_eq(&first.text, &again.text) && again.id == Some(id));
  // Any invalidation empties it: nothing is known until the API is asked again.
  g.caches.invalidate(Some("someone_else"), None);
  assert!(g.organization_now_text(Some("user_1"), Some("org_a")).is_none());
  assert_eq!(g.role_now(id, &admins), None);
  // Flags too.
  g.feature(Some("org_a"), "analytics").await.unwrap();
  let expires = g.feature_now(Some("org_a"), "analytics").unwrap().unwrap();
  g.caches.flags.invalidate("org_a");
  g.caches.flags.run_pending_tasks();
  assert_eq!(g.feature_now(Some("org_a"), "analytics"), Some(Ok(expires)), "from the front, expiring as before");
  g.caches.clear();
  assert_eq!(g.feature_now(Some("org_a"), "analytics"), None);
}

#[tokio::test]
async fn front_entries_expire_with_the_records_they_were_made_from() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions { ttl: Duration::from_millis(150), ..GuardOptions::default() });
  g.organization(Some("user_1"), Some("org_a")).await;
  g.feature(Some("org_a"), "analytics").await.unwrap();
  assert!(g.organization_now_text(Some("user_1"), Some("org_a")).unwrap().id.is_some());
  assert!(g.feature_now(Some("org_a"), "analytics").is_some());
  tokio::time::sleep(Duration::from_millis(200)).await;
  assert!(g.organization_now_text(Some("user_1"), Some("org_a")).is_none());
  assert!(g.feature_now(Some("org_a"), "analytics").is_none());
  assert_eq!(w.membership_calls.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn answers_say_when_they_expire_and_the_board_advances_with_every_invalidation() {
  let w = world(false).await;
  let ttl = Duration::from_secs(30);
  let g = guards(&w, GuardOptions { ttl, ..GuardOptions::default() });
  let board = g.board();
  let asked = Instant::now();
  g.organization(Some("user_1"), Some("org_a")).await;
  g.feature(Some("org_a"), "analytics").await.unwrap();
  let done = Instant::now();
  // An allow decision and a passing gate stand until the records they were made from expire.
  let decision = g.organization_now_text(Some("user_1"), Some("org_a")).unwrap();
  let expires = decision.expires.unwrap();
  assert!(expires >= asked + ttl && expires <= done + ttl, "{:?}", expires - asked);
  let flags = g.feature_now(Some("org_a"), "analytics").unwrap().unwrap();
  assert!(flags >= asked + ttl && flags <= done + ttl);
  // A denial is not held: it has no expiry.
  assert_eq!(g.organization_now_text(Some("user_1"), Some("org_zzz")).unwrap().expires, None);
  // Answers alone leave the board as it is; each invalidation and clear moves it on, once
  // the caches no longer hold what it changed.
  let start = board.generation();
  let moved = |n: u32| board.generation().wrapping_sub(start) == n;
  g.caches.invalidate(Some("user_1"), None);
  assert!(g.organization_now_text(Some("user_1"), Some("org_a")).is_none());
  assert!(moved(1), "invalidate(user)");
  g.caches.invalidate(None, Some("org_a"));
  assert!(moved(2), "invalidate(organization)");
  g.caches.apply(&Effect::MembershipId("om_unknown".into()), &JsValue::Undefined);
  assert!(moved(3), "a write through the client");
  g.caches.apply(&Effect::None, &JsValue::Undefined);
  assert!(moved(3), "a write that changes nothing");
  g.caches.clear();
  assert!(moved(4), "clear()");
  // JavaScript's view is this word.
  assert_eq!(unsafe { *board.word() }, board.generation());
}

#[tokio::test]
async fn equal_gates_share_an_index() {
  let w = world(false).await;
  let g = guards(&w, GuardOptions::default());
  let role = |s: &[&str]| Gate::Role(s.iter().map(|s| s.to_string()).collect::<Vec<_>>().into());
  let a = g.gate_index(role(&["admin", "owner"])).unwrap();
  let f = g.gate_index(Gate::Feature("analytics".into())).unwrap();
  assert_ne!(a, f);
  assert_eq!(g.gate_index(role(&["admin", "owner"])), Some(a));
  assert_ne!(g.gate_index(role(&["owner", "admin"])), Some(a));
  assert_eq!(g.gate_index(Gate::Feature("analytics".into())), Some(f));
  assert_eq!(g.gate(f).as_deref(), Some(&Gate::Feature("analytics".into())));
  assert!(g.gate(99).is_none());
  let auth = Gate::Auth { cookie_name: "wos-session".into(), password: Some("a-cookie-password-of-32-characters!".into()) };
  assert_eq!(format!("{:?}", auth), r#"Auth { cookie_name: "wos-session", password: Some("…") }"#);
}
