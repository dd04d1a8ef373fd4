//! The decisions behind the Express guards, and the caches that make them cheap.
//!
//! Memberships are cached per user (the user's whole membership list, usually small), so any
//! organization id a user sends is answered locally once that list is known: a flood of
//! made-up ids costs at most one refetch per `negative_ttl`. Organizations and feature flags
//! are cached per organization. Every cache has a TTL and a size bound; concurrent misses for
//! one key share one API call. Writes made through the same client invalidate what they
//! change (see `Effect`). Only a positive decision lets a request through.

pub mod board;
mod front;
pub mod single_flight;

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, Weak};
use std::time::{Duration, Instant};

use moka::sync::Cache;

use crate::client::Client;
use crate::errors::Error;
use crate::pagination;
use crate::resources::{self, Prepared};
use crate::value::{JsValue, Str};
use board::Board;
use front::{Front, Warm};
use single_flight::SingleFlight;

#[derive(Debug, Clone, PartialEq)]
pub struct GuardOptions {
  /// How long a positive answer (membership, organization, flags) is kept; zero disables caching.
  pub ttl: Duration,
  /// How soon a "not a member" answer may be checked again with the API.
  pub negative_ttl: Duration,
  /// Most entries per cache.
  pub max_entries: u64,
}

impl Default for GuardOptions {
  fn default() -> Self {
    GuardOptions { ttl: Duration::from_secs(30), negative_ttl: Duration::from_secs(5), max_entries: 10_000 }
  }
}

/// Why a request is refused.
#[derive(Debug, Clone, PartialEq)]
pub struct Denial {
  pub status: u16,
  pub code: &'static str,
  pub message: String,
  pub cause: Option<Error>,
}

impl Denial {
  fn new(status: u16, code: &'static str, message: impl Into<String>) -> Denial {
    Denial { status, code, message: message.into(), cause: None }
  }

  fn missing_organization() -> Denial {
    Denial::new(400, "organization_required", "Missing organization context")
  }

  pub fn not_authenticated() -> Denial {
    Denial::new(401, "not_authenticated", "Not authenticated")
  }

  /// The same answer for "no such organization" and "not an (active) member": existence of
  /// an organization is not revealed.
  fn not_a_member() -> Denial {
    Denial::new(403, "not_a_member", "Not a member of this organization")
  }

  fn upstream(message: &str, cause: Error) -> Denial {
    Denial { cause: Some(cause), ..Denial::new(500, "upstream_unavailable", message) }
  }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Decision {
  Allow { membership: JsValue, organization: JsValue },
  Deny(Denial),
}

impl Decision {
  /// `{ allow: true, membership, organization }` or `{ allow: false, status, code, error, cause? }`.
  pub fn to_js(&self) -> JsValue {
    match self {
      Decision::Allow { membership, organization } => JsValue::object(vec![
        ("allow", JsValue::Bool(true)),
        ("membership", membership.clone()),
        ("organization", organization.clone()),
      ]),
      Decision::Deny(d) => deny_to_js(d),
    }
  }
}

pub fn deny_to_js(d: &Denial) -> JsValue {
  let mut v = JsValue::object(vec![
    ("allow", JsValue::Bool(false)),
    ("status", JsValue::Number(d.status as f64)),
    ("code", JsValue::str(d.code)),
    ("error", JsValue::str(d.message.clone())),
  ]);
  if let (Some(cause), JsValue::Object(o)) = (&d.cause, &mut v) {
    o.set("cause", cause.to_payload());
  }
  v
}

/// One user's memberships, by organization id.
#[derive(Debug)]
struct UserMemberships {
  fetched: Instant,
  by_org: HashMap<String, JsValue>,
  /// Each allow decision made from these memberships (its id and text), with the organization
  /// record it was made with: warm requests reuse it while that record is the cached one.
  decisions: Mutex<HashMap<String, (Arc<JsValue>, DecisionText)>>,
}

/// A decision as JavaScript gets it: its transfer text and, for a cached allow decision, an id
/// that no other text ever has (JavaScript keeps what it decoded under it, and copies that).
#[derive(Debug, Clone)]
pub struct DecisionText {
  pub id: Option<u64>,
  pub text: Arc<str>,
  /// For a cached allow decision, when the records it was made from leave the caches.
  pub expires: Option<Instant>,
  /// Made by this very call: its id has not been given out before, so its text goes with it.
  pub new: bool,
}

static NEXT_DECISION: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);

fn is_active(m: &JsValue) -> bool {
  m.get("status").as_str() == Some("active")
}

/// What the caches know of one (user, organization) pair.
enum Known {
  /// An active member; the membership is `set.by_org[org]`.
  Member(Arc<UserMemberships>),
  NotMember,
  Unknown,
}

pub struct GuardCaches {
  options: GuardOptions,
  /// Bumped by every invalidation: a load that saw another value when it started does not
  /// store its (possibly stale) result.
  epoch: std::sync::atomic::AtomicU64,
  memberships: Cache<String, Arc<UserMemberships>>,
  /// Membership id → user id, to invalidate after `deleteOrganizationMembership(id)`.
  owners: Cache<String, String>,
  /// Organization records and enabled flag slugs, with when they were fetched.
  organizations: Cache<String, (Instant, Arc<JsValue>)>,
  flags: Cache<String, (Instant, Arc<HashSet<String>>)>,
  /// When an organization was last invalidated: membership lists fetched before then no
  /// longer prove that a user is not one of its members.
  organization_changes: Cache<String, Instant>,
  /// Warm decisions made from the caches above (see `front`).
  front: Front,
  /// Advanced after every invalidation, for JavaScript's leases (see `board`).
  board: Arc<Board>,
}

impl GuardCaches {
  fn new(options: GuardOptions) -> GuardCaches {
    GuardCaches {
      memberships: bounded(&options),
      owners: bounded(&options),
      organizations: bounded(&options),
      flags: bounded(&options),
      organization_changes: bounded(&options),
      front: Front::new(options.max_entries),
      options,
      epoch: std::sync::atomic::AtomicU64::new(0),
      board: Arc::default(),
    }
  }

  fn epoch(&self) -> u64 {
    self.epoch.load(std::sync::atomic::Ordering::SeqCst)
  }

  /// Stores a loaded value unless caching is off or something was invalidated meanwhile.
  fn keep<V: Clone + Send + Sync + 'static>(&self, cache: &Cache<String, V>, key: &str, value: V, started: u64) {
    if self.enabled() && self.epoch() == started {
      cache.insert(key.to_string(), value);
    }
  }

  fn enabled(&self) -> bool {
    !self.options.ttl.is_zero()
  }

  /// When what was fetched at `fetched` leaves the caches.
  fn expiry(&self, fetched: Instant) -> Instant {
    fetched + self.options.ttl
  }

  fn known(&self, user: &str, org: &str) -> Known {
    let Some(set) = self.memberships.get(user) else { return Known::Unknown };
    match set.by_org.get(org) {
      Some(m) if is_active(m) => Known::Member(set),
      Some(_) => Known::NotMember,
      None if self.organization_changes.get(org).is_some_and(|changed| changed >= set.fetched) => Known::Unknown,
      None if set.fetched.elapsed() < self.options.negative_ttl => Known::NotMember,
      None => Known::Unknown,
    }
  }

  /// Forgets what is known of a user and/or an organization.
  pub fn invalidate(&self, user: Option<&str>, org: Option<&str>) {
    self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    if let Some(user) = user {
      self.memberships.invalidate(user);
    }
    if let Some(org) = org {
      self.organizations.invalidate(org);
      self.flags.invalidate(org);
      if user.is_none() {
        self.organization_changes.insert(org.to_string(), Instant::now());
        let org = org.to_string();
        let _ = self.memberships.invalidate_entries_if(move |_, set| set.by_org.contains_key(&org));
      }
    }
    self.front.clear();
    self.board.advance();
  }

  pub fn clear(&self) {
    self.epoch.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    self.memberships.invalidate_all();
    self.owners.invalidate_all();
    self.organizations.invalidate_all();
    self.flags.invalidate_all();
    self.organization_changes.invalidate_all();
    self.front.clear();
    self.board.advance();
  }

  /// Applies what a successful write through the client changed.
  pub fn apply(&self, effect: &Effect, result: &JsValue) {
    match effect {
      Effect::None => {}
      Effect::Organization(id) => self.invalidate(None, Some(id)),
      Effect::Membership => {
        let user = result.get("userId").as_str();
        let org = result.get("organizationId").as_str();
        match user {
          Some(user) => self.invalidate(Some(user), org),
          None => self.clear(),
        }
      }
      Effect::MembershipId(id) => match self.owners.get(id) {
        Some(user) => self.invalidate(Some(&user), None),
        None => self.clear(),
      },
    }
  }
}

fn bounded<V: Clone + Send + Sync + 'static>(options: &GuardOptions) -> Cache<String, V> {
  Cache::builder()
    .max_capacity(options.max_entries)
    .time_to_live(options.ttl.max(Duration::from_millis(1)))
    .support_invalidation_closures()
    .build()
}

/// What a write made through the client changes, for the guard caches.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
  None,
  /// An organization was updated or deleted.
  Organization(String),
  /// A membership was created or changed; the response says whose.
  Membership,
  /// A membership was deleted; only its id is known.
  MembershipId(String),
}

/// The guard caches of every `createGuards` made on one client, so that its writes reach all.
#[derive(Default)]
pub struct Registry {
  caches: Mutex<Vec<Weak<GuardCaches>>>,
}

impl Registry {
  fn add(&self, caches: &Arc<GuardCaches>) {
    let mut list = self.caches.lock().unwrap_or_else(|e| e.into_inner());
    list.retain(|w| w.strong_count() > 0);
    list.push(Arc::downgrade(caches));
  }

  pub fn apply(&self, effect: &Effect, result: &JsValue) {
    if *effect == Effect::None {
      return;
    }
    let list = self.caches.lock().unwrap_or_else(|e| e.into_inner());
    for caches in list.iter().filter_map(Weak::upgrade) {
      caches.apply(effect, result);
    }
  }
}

type Shared<T> = Result<Arc<T>, Error>;

pub struct Guards {
  client: Arc<Client>,
  pub caches: Arc<GuardCaches>,
  // Keyed by (key, epoch): a request after an invalidation never joins a load from before it.
  membership_loads: SingleFlight<(String, u64), Shared<UserMemberships>>,
  organization_loads: SingleFlight<(String, u64), Shared<JsValue>>,
  flag_loads: SingleFlight<(String, u64), Shared<HashSet<String>>>,
  gates: Gates,
}

/// What a middleware made by `requireRole(...)`, `requireFeature(key)` or `requireAuth(options)`
/// checks: registered once, when the middleware is made, and named by its index on each request
/// (no slugs or key to convert per call). Equal gates share an index, so middleware made per
/// request does not grow the table.
#[derive(Clone, PartialEq, Eq, Hash)]
pub enum Gate {
  Role(Arc<[String]>),
  Feature(Arc<str>),
  Auth { cookie_name: String, password: Option<String> },
}

/// Never prints a cookie password.
impl std::fmt::Debug for Gate {
  fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
    match self {
      Gate::Role(allowed) => f.debug_tuple("Role").field(allowed).finish(),
      Gate::Feature(key) => f.debug_tuple("Feature").field(key).finish(),
      Gate::Auth { cookie_name, password } => {
        f.debug_struct("Auth").field("cookie_name", cookie_name).field("password", &password.as_ref().map(|_| "…")).finish()
      }
    }
  }
}

#[derive(Default)]
struct Gates {
  list: std::sync::RwLock<Vec<Arc<Gate>>>,
  index: Mutex<HashMap<Gate, u32>>,
}

impl Guards {
  /// The index of `gate`, registering it if it is new; `None` past 2^32 distinct gates.
  pub fn gate_index(&self, gate: Gate) -> Option<u32> {
    let mut index = self.gates.index.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(&i) = index.get(&gate) {
      return Some(i);
    }
    let mut list = self.gates.list.write().unwrap_or_else(|e| e.into_inner());
    let i = u32::try_from(list.len()).ok()?;
    list.push(Arc::new(gate.clone()));
    index.insert(gate, i);
    Some(i)
  }

  pub fn gate(&self, i: u32) -> Option<Arc<Gate>> {
    self.gates.list.read().unwrap_or_else(|e| e.into_inner()).get(i as usize).cloned()
  }

  pub fn new(client: Arc<Client>, options: GuardOptions) -> Guards {
    let caches = Arc::new(GuardCaches::new(options));
    client.guards.add(&caches);
    Guards {
      client,
      caches,
      membership_loads: SingleFlight::default(),
      organization_loads: SingleFlight::default(),
      flag_loads: SingleFlight::default(),
      gates: Gates::default(),
    }
  }

  /// The word JavaScript reads to know whether the answers it holds still stand (see `board`).
  pub fn board(&self) -> Arc<Board> {
    self.caches.board.clone()
  }

  /// `requireOrganization` without I/O: the decision when the caches (or the arguments) settle
  /// it, `None` when the API must be asked.
  pub fn organization_now(&self, user: Option<&str>, org: Option<&str>) -> Option<Decision> {
    let Some(org) = org.filter(|o| !o.is_empty()) else { return Some(Decision::Deny(Denial::missing_organization())) };
    let Some(user) = user.filter(|u| !u.is_empty()) else { return Some(Decision::Deny(Denial::not_authenticated())) };
    match self.caches.known(user, org) {
      Known::NotMember => Some(Decision::Deny(Denial::not_a_member())),
      Known::Member(set) => self.caches.organizations.get(org).map(|(_, o)| Decision::Allow { membership: set.by_org[org].clone(), organization: (*o).clone() }),
      Known::Unknown => None,
    }
  }

  /// `organization_now` as transfer text (what the binding hands to JavaScript). A warm allow
  /// decision's text is built once, with a new id, and reused while its membership list and
  /// organization record are the cached ones; the front cache finds it with one lookup.
  pub fn organization_now_text(&self, user: Option<&str>, org: Option<&str>) -> Option<DecisionText> {
    let text = |d: &Decision| -> Arc<str> { crate::value::to_transfer_text(&d.to_js()).into() };
    if let (Some(user), Some(org)) = (user.filter(|u| !u.is_empty()), org.filter(|o| !o.is_empty())) {
      if let Some(warm) = self.caches.front.decision(user, org, Instant::now()) {
        return Some(DecisionText { id: Some(warm.id), text: warm.text, expires: Some(warm.expires), new: false });
      }
      let started = self.caches.epoch();
      if let Known::Member(set) = self.caches.known(user, org) {
        let (organization_fetched, organization) = self.caches.organizations.get(org)?;
        let mut decisions = set.decisions.lock().unwrap_or_else(|e| e.into_inner());
        let t = match decisions.get(org) {
          Some((made_with, t)) if Arc::ptr_eq(made_with, &organization) => t.clone(),
          _ => {
            let t = DecisionText {
              id: Some(NEXT_DECISION.fetch_add(1, std::sync::atomic::Ordering::Relaxed)),
              text: text(&Decision::Allow { membership: set.by_org[org].clone(), organization: (*organization).clone() }),
              expires: Some(self.caches.expiry(set.fetched.min(organization_fetched))),
              new: false,
            };
            decisions.insert(org.to_string(), (organization, t.clone()));
            DecisionText { new: true, ..t }
          }
        };
        if let (Some(id), Some(expires)) = (t.id, t.expires) {
          let roles: Arc<[Str]> = role_slugs(&set.by_org[org]).into_iter().map(Str::from).collect();
          self.caches.front.keep_decision(user, org, Warm::new(id, t.text.clone(), expires), roles, || self.caches.epoch() == started);
        }
        return Some(t);
      }
    }
    self.organization_now(user, org).map(|d| DecisionText { id: None, text: text(&d), expires: None, new: false })
  }

  /// `requireAuth` without I/O (see `session::authenticate_request_now`).
  pub fn auth_now(&self, request: &crate::session::AuthRequest) -> Result<Option<crate::session::AuthDecision>, Error> {
    crate::session::authenticate_request_now(&self.client, request)
  }

  /// `requireAuth`, fetching the JWKS or refreshing an expired token when needed.
  pub async fn auth(&self, request: &crate::session::AuthRequest) -> Result<crate::session::AuthDecision, Error> {
    crate::session::authenticate_request(&self.client, request).await
  }

  /// `requireRole` after this engine's `requireOrganization` allowed decision `id`: `None` when
  /// the decision is no longer in the front cache (then the membership itself is read).
  pub fn role_now(&self, id: u64, allowed: &[String]) -> Option<Result<(), Denial>> {
    let roles = self.caches.front.roles(id)?;
    Some(roles_decision(&roles, allowed))
  }

  /// Every role gate registered so far, decided for allowed decision `id` at once: the indexes
  /// of those that let it through. What decision `id` may do never changes (its roles are
  /// fixed), so JavaScript keeps this answer with the decision and asks `role_now` only for a
  /// gate not among them (a refusal, or a gate registered later). `None` when the decision is
  /// no longer in the front cache.
  pub fn role_verdicts(&self, id: u64) -> Option<Vec<u32>> {
    let roles = self.caches.front.roles(id)?;
    let gates = self.gates.list.read().unwrap_or_else(|e| e.into_inner());
    let passing = (0u32..)
      .zip(gates.iter())
      .filter(|(_, gate)| matches!(&***gate, Gate::Role(allowed) if roles_decision(&roles, allowed).is_ok()))
      .map(|(i, _)| i)
      .collect();
    Some(passing)
  }

  /// `requireOrganization`: membership and organization fetched concurrently on a miss.
  pub async fn organization(&self, user: Option<&str>, org: Option<&str>) -> Decision {
    if let Some(d) = self.organization_now(user, org) {
      return d;
    }
    let (user, org) = (user.unwrap_or_default(), org.unwrap_or_default());
    match self.caches.known(user, org) {
      Known::Member(set) => allow_with(set.by_org[org].clone(), self.organization_record(org).await),
      Known::NotMember => Decision::Deny(Denial::not_a_member()),
      Known::Unknown => {
        // The first request for a user fetches the organization alongside its memberships,
        // saving a round trip. Requests that find that load under way wait for it and fetch
        // the organization only for a member, so a burst of made-up ids costs no more calls.
        let (set, organization) = if self.membership_loads.is_running(&(user.to_string(), self.caches.epoch())) {
          (self.user_memberships(user).await, None)
        } else {
          let (set, organization) = tokio::join!(self.user_memberships(user), self.organization_record(org));
          (set, Some(organization))
        };
        match set {
          Err(e) => Decision::Deny(Denial::upstream("Failed to verify organization access", e)),
          Ok(set) => match set.by_org.get(org).filter(|m| is_active(m)) {
            None => Decision::Deny(Denial::not_a_member()),
            Some(m) => {
              let organization = match organization {
                Some(o) => o,
                None => self.organization_record(org).await,
              };
              allow_with(m.clone(), organization)
            }
          },
        }
      }
    }
  }

  /// Every item of a list operation, page after page (pages of 100).
  async fn list_all(&self, module: &str, method: &str, filter: (&str, &str)) -> Result<Vec<JsValue>, Error> {
    let op = resources::find(module, method).expect("a known operation");
    let options = JsValue::object(vec![(filter.0, JsValue::str(filter.1)), ("limit", JsValue::Number(100.0))]);
    let Prepared::List(spec) = op.prepare(&[options])? else { unreachable!("a list operation") };
    pagination::all_pages(&self.client, &spec).await
  }

  async fn user_memberships(&self, user: &str) -> Shared<UserMemberships> {
    let started = self.caches.epoch();
    let load = || async {
      let items = self.list_all("userManagement", "listOrganizationMemberships", ("userId", user)).await?;
      let mut by_org: HashMap<String, JsValue> = HashMap::new();
      for m in items {
        if let Some(id) = m.get("id").as_str() {
          self.caches.owners.insert(id.to_string(), user.to_string());
        }
        let Some(org) = m.get("organizationId").as_str().map(str::to_string) else { continue };
        // An active membership wins over an inactive or pending one for the same organization.
        if !by_org.get(&org).is_some_and(is_active) {
          by_org.insert(org, m);
        }
      }
      let set = Arc::new(UserMemberships { fetched: Instant::now(), by_org, decisions: Mutex::default() });
      self.caches.keep(&self.caches.memberships, user, set.clone(), started);
      Ok(set)
    };
    self.membership_loads.run((user.to_string(), started), load).await
  }

  async fn organization_record(&self, org: &str) -> Shared<JsValue> {
    if let Some((_, o)) = self.caches.organizations.get(org) {
      return Ok(o);
    }
    let started = self.caches.epoch();
    let load = || async {
      let op = resources::find("organizations", "getOrganization").expect("operation");
      let Prepared::Call(call) = op.prepare(&[JsValue::str(org)])? else { unreachable!("a call") };
      let organization = Arc::new(self.client.call(call).await?);
      self.caches.keep(&self.caches.organizations, org, (Instant::now(), organization.clone()), started);
      Ok(organization)
    };
    self.organization_loads.run((org.to_string(), started), load).await
  }

  /// `requireFeature` without I/O, when the flags are cached: `Ok` with the time the cached
  /// flags expire if `key` is on for `org`, else the denial.
  pub fn feature_now(&self, org: Option<&str>, key: &str) -> Option<Result<Instant, Denial>> {
    let Some(org) = org.filter(|o| !o.is_empty()) else { return Some(Err(Denial::missing_organization())) };
    if let Some((expires, flags)) = self.caches.front.flags(org, Instant::now()) {
      return Some(feature_decision(&flags, key).map(|()| expires));
    }
    let started = self.caches.epoch();
    let (fetched, flags) = self.caches.flags.get(org)?;
    let expires = self.caches.expiry(fetched);
    self.caches.front.keep_flags(org, expires, flags.clone(), || self.caches.epoch() == started);
    Some(feature_decision(&flags, key).map(|()| expires))
  }

  pub async fn feature(&self, org: Option<&str>, key: &str) -> Result<(), Denial> {
    if let Some(d) = self.feature_now(org, key) {
      return d.map(|_| ());
    }
    let org = org.unwrap_or_default();
    let started = self.caches.epoch();
    let load = || async {
      let items = self.list_all("organizations", "listOrganizationFeatureFlags", ("organizationId", org)).await?;
      let enabled: HashSet<String> = items
        .iter()
        .filter(|f| f.get("enabled") == &JsValue::Bool(true))
        .filter_map(|f| f.get("slug").as_str().map(str::to_string))
        .collect();
      let enabled = Arc::new(enabled);
      self.caches.keep(&self.caches.flags, org, (Instant::now(), enabled.clone()), started);
      Ok(enabled)
    };
    match self.flag_loads.run((org.to_string(), started), load).await {
      Ok(flags) => feature_decision(&flags, key),
      Err(e) => Err(Denial::upstream("Failed to verify feature access", e)),
    }
  }
}

fn allow_with(membership: JsValue, organization: Shared<JsValue>) -> Decision {
  match organization {
    Ok(o) => Decision::Allow { membership, organization: (*o).clone() },
    // A member of an organization that no longer exists gets the member-less answer.
    Err(e) if e.status() == Some(404) => Decision::Deny(Denial::not_a_member()),
    Err(e) => Decision::Deny(Denial::upstream("Failed to verify organization access", e)),
  }
}

fn feature_decision(enabled: &HashSet<String>, key: &str) -> Result<(), Denial> {
  if enabled.contains(key) {
    Ok(())
  } else {
    Err(Denial::new(403, "feature_disabled", format!("Feature '{}' not available for this organization", key)))
  }
}

/// `requireAuth` without a session: the app's own authentication must have set a user.
pub fn user_decision(has_user: bool) -> Result<(), Denial> {
  if has_user {
    Ok(())
  } else {
    Err(Denial::not_authenticated())
  }
}

/// A membership's role slugs: `role.slug`, then `roles[].slug`.
pub fn role_slugs(membership: &JsValue) -> Vec<&str> {
  let mut held = vec![membership.get("role").get("slug")];
  if let JsValue::Array(roles) = membership.get("roles") {
    held.extend(roles.iter().map(|r| r.get("slug")));
  }
  held.into_iter().filter_map(JsValue::as_str).collect()
}

/// The fields of a membership `role_decision` reads.
pub const ROLE_FIELDS: &[&std::ffi::CStr] = &[c"status", c"role", c"roles"];

/// `requireRole(...slugs)`: the membership `requireOrganization` set must be active and hold
/// one of the roles, read from `role.slug` and `roles[].slug`.
pub fn role_decision(membership: &JsValue, allowed: &[String]) -> Result<(), Denial> {
  if !matches!(membership, JsValue::Object(_)) || !is_active(membership) {
    return Err(Denial::new(403, "no_membership", "No organization membership"));
  }
  roles_decision(&role_slugs(membership), allowed)
}

/// `requireRole` for an active membership whose role slugs are known.
pub fn roles_decision<S: AsRef<str>>(held: &[S], allowed: &[String]) -> Result<(), Denial> {
  if held.iter().any(|s| allowed.iter().any(|a| a == s.as_ref())) {
    Ok(())
  } else {
    Err(Denial::new(403, "insufficient_role", format!("Requires one of: {}", allowed.join(", "))))
  }
}

#[cfg(test)]
mod tests;
