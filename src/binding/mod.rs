//! The napi layer: the only code that knows Node-API. It converts arguments, runs the core on
//! napi's tokio runtime, and hands back values, or error payloads that `index.js` turns into
//! the SDK's exception classes.

mod convert;

use std::sync::Arc;

use napi::bindgen_prelude::*;
use napi::sys;
use napi::JsValue as _;
use napi_derive::napi;

use crate::client::{self, Client};
use crate::errors::Error as CoreError;
use crate::guards::{self, DecisionText, Denial, Gate, GuardOptions, Guards};
use crate::pagination::{self, Pager};
use crate::session;
use crate::resources::{self, Context, Handler, Kind, ListSpec, Prepared};
use crate::value::JsValue;

/// A raw JS value handed back unchanged.
pub struct Raw(sys::napi_value);

impl ToNapiValue for Raw {
  unsafe fn to_napi_value(_env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
    Ok(val.0)
  }
}

impl TypeName for Raw {
  fn type_name() -> &'static str {
    "unknown"
  }
  fn value_type() -> ValueType {
    ValueType::Unknown
  }
}

/// A core error as a rejection value: the payload object `index.js` converts.
fn reject(env: sys::napi_env, e: &CoreError) -> Error {
  match convert::to_js(env, &e.to_payload()) {
    Ok(v) => Error::from(unsafe { Unknown::from_raw_unchecked(env, v) }),
    Err(e) => e,
  }
}

/// A core error thrown from a synchronous entry point: the payload is thrown as it is (napi
/// would otherwise wrap it in an `Error` with its string form as the message).
fn throw(env: sys::napi_env, e: &CoreError) -> Error {
  match convert::to_js(env, &e.to_payload()) {
    Ok(v) => {
      unsafe { sys::napi_throw(env, v) };
      Error::new(Status::PendingException, e.to_string())
    }
    Err(e) => e,
  }
}

fn args_of(env: &Env, args: &[Unknown]) -> std::result::Result<Vec<JsValue>, CoreError> {
  args
    .iter()
    .enumerate()
    .map(|(i, a)| convert::from_js(env.raw(), a.raw(), &format!("argument {}", i + 1)))
    .collect()
}

/// Runs `fut` on the tokio runtime; resolves with its value or rejects with its error payload.
fn promise<'env, F>(env: &'env Env, fut: F) -> Result<PromiseRaw<'env, Raw>>
where
  F: std::future::Future<Output = std::result::Result<JsValue, CoreError>> + Send + 'static,
{
  env.spawn_future_with_callback(async move { Ok(fut.await) }, |env, outcome| match outcome {
    Ok(v) => convert::to_js(env.raw(), &v).map(Raw),
    Err(e) => Err(reject(env.raw(), &e)),
  })
}

/// Like `promise`, for results that may be large (API objects, pages): they travel as one
/// JSON text (`value::to_transfer_text`) that `lib/transfer.js` decodes with `JSON.parse`.
fn promise_text<'env, F>(env: &'env Env, fut: F) -> Result<PromiseRaw<'env, Raw>>
where
  F: std::future::Future<Output = std::result::Result<JsValue, CoreError>> + Send + 'static,
{
  // The text is made on the tokio thread; only the string crosses to the JS thread.
  promise(env, async move { fut.await.map(|v| JsValue::str(crate::value::to_transfer_text(&v))) })
}

#[napi(object)]
pub struct BindingOperation {
  pub module: String,
  pub method: String,
  /// `call` or `list`.
  pub kind: String,
}

/// Every operation the core implements, for `index.js` to expose as methods.
#[napi(catch_unwind)]
pub fn operations() -> Vec<BindingOperation> {
  resources::operations()
    .map(|op| BindingOperation {
      module: op.module.into(),
      method: op.method.into(),
      kind: match op.kind {
        Kind::Call => "call".into(),
        Kind::List => "list".into(),
        Kind::Sync => "sync".into(),
      },
    })
    .collect()
}

#[napi(js_name = "NativeClient")]
pub struct BindingClient {
  client: Arc<Client>,
}

#[napi]
impl BindingClient {
  /// `new WorkOS(keyOrOptions?, maybeOptions?)`, resolved in Rust.
  #[napi(constructor, catch_unwind)]
  pub fn new(env: Env, key_or_options: Unknown, maybe_options: Unknown) -> Result<Self> {
    let raw = env.raw();
    let built = (|| {
      let first = convert::from_js(raw, key_or_options.raw(), "apiKey")?;
      let second = convert::from_js(raw, maybe_options.raw(), "options")?;
      let runtime = match env.get_node_version() {
        Ok(v) => format!("node/v{}.{}.{}", v.major, v.minor, v.patch),
        Err(_) => "node".to_string(),
      };
      let (identity, config) = client::resolve(&first, &second, &env_var, &runtime)?;
      Client::new(identity, config)
    })();
    match built {
      Ok(client) => Ok(BindingClient { client: Arc::new(client) }),
      Err(e) => Err(throw(raw, &e)),
    }
  }

  /// What the constructor settled on: `{ clientId, optionClientId, baseURL, hasApiKey }`.
  /// The API key itself is never handed back.
  #[napi(catch_unwind, ts_return_type = "{ clientId?: string; optionClientId?: string; baseURL: string; hasApiKey: boolean }")]
  pub fn identity(&self, env: Env) -> Result<Raw> {
    let id = &self.client.identity;
    let opt = |v: &Option<String>| v.clone().map(JsValue::str).unwrap_or(JsValue::Undefined);
    let v = JsValue::object(vec![
      ("clientId", opt(&id.client_id)),
      ("optionClientId", opt(&id.option_client_id)),
      ("baseURL", JsValue::str(id.base_url.clone())),
      ("hasApiKey", JsValue::Bool(id.api_key.is_some())),
    ]);
    convert::to_js(env.raw(), &v).map(Raw)
  }

  /// The API key, for the `workos.key` getter (never stored on the JS object).
  #[napi(catch_unwind)]
  pub fn api_key(&self) -> Option<String> {
    self.client.identity.api_key.clone()
  }

  /// Runs `module.method(...args)`; resolves to transfer text (a list: `{ list, options }`).
  #[napi(catch_unwind, ts_return_type = "Promise<string>")]
  pub fn call<'env>(&self, env: &'env Env, module: String, method: String, args: Vec<Unknown>) -> Result<PromiseRaw<'env, Raw>> {
    let prepared = self.prepare(env, &module, &method, &args);
    let client = self.client.clone();
    promise_text(env, async move {
      match prepared? {
        Prepared::Call(call) => client.call(call).await,
        Prepared::List(spec) => client.first_page(&spec).await,
      }
    })
  }

  /// Runs a synchronous operation (`getJwksUrl`, `getLogoutUrl`): returns or throws at once.
  #[napi(catch_unwind, ts_return_type = "unknown")]
  pub fn call_sync(&self, env: Env, module: String, method: String, args: Vec<Unknown>) -> Result<Raw> {
    let run = || {
      let op = resources::find(&module, &method).ok_or_else(|| CoreError::type_error(format!("{}.{} is not a method", module, method)))?;
      let Handler::Sync(run) = op.handler else {
        return Err(CoreError::type_error(format!("{}.{} is asynchronous", module, method)));
      };
      run(&Context { base_url: &self.client.identity.base_url }, &args_of(&env, &args)?)
    };
    match run() {
      Ok(v) => convert::to_js(env.raw(), &v).map(Raw),
      Err(e) => Err(throw(env.raw(), &e)),
    }
  }

  /// A pager over a list's pages after its first, whose cursor is `after`.
  #[napi(catch_unwind)]
  pub fn pager(&self, env: Env, module: String, method: String, args: Vec<Unknown>, after: Option<String>) -> Result<BindingPager> {
    let spec = self.list_spec(&env, &module, &method, &args).map_err(|e| throw(env.raw(), &e))?;
    let client = self.client.clone();
    let pager = within_runtime_if_available(move || Pager::start(client, spec, after));
    Ok(BindingPager { pager: Arc::new(pager) })
  }

  /// `autoPagination()`: resolves to (transfer text of) every item, or `null` when the first
  /// page is the answer.
  #[napi(catch_unwind, ts_return_type = "Promise<string>")]
  pub fn auto_paginate<'env>(&self, env: &'env Env, module: String, method: String, args: Vec<Unknown>) -> Result<PromiseRaw<'env, Raw>> {
    let spec = self.list_spec(env, &module, &method, &args);
    let client = self.client.clone();
    // The items arrive already encoded (page by page, during the walk): only joined here.
    promise(env, async move {
      let text = match pagination::auto_paginate(&client, &spec?).await? {
        Some(items) => items.to_transfer_text(),
        None => crate::value::to_transfer_text(&JsValue::Null),
      };
      Ok(JsValue::str(text))
    })
  }

  // ---- sessions (src/session/) ----

  /// `new CookieSession(…)`: throws unless a cookie password is given.
  #[napi(catch_unwind)]
  pub fn check_cookie_password(&self, env: Env, password: Unknown) -> Result<()> {
    let run = || session::check_cookie_session_password(&convert::from_js(env.raw(), password.raw(), "cookiePassword")?);
    run().map(|_| ()).map_err(|e| throw(env.raw(), &e))
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn session_authenticate<'env>(&self, env: &'env Env, session_data: Unknown, password: Unknown) -> Result<PromiseRaw<'env, Raw>> {
    let args = session_args(env, session_data, password, None);
    let client = self.client.clone();
    promise(env, async move {
      let (data, password, _) = args?;
      session::authenticate(&client, &data, &password).await
    })
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn session_refresh<'env>(&self, env: &'env Env, session_data: Unknown, password: Unknown, options: Unknown) -> Result<PromiseRaw<'env, Raw>> {
    let args = session_args(env, session_data, password, Some(options));
    let client = self.client.clone();
    promise(env, async move {
      let (data, password, options) = args?;
      session::refresh(&client, &data, &password, &options).await
    })
  }

  #[napi(catch_unwind, ts_return_type = "Promise<string>")]
  pub fn session_logout_url<'env>(&self, env: &'env Env, session_data: Unknown, password: Unknown, options: Unknown) -> Result<PromiseRaw<'env, Raw>> {
    let args = session_args(env, session_data, password, Some(options));
    let client = self.client.clone();
    promise(env, async move {
      let (data, password, options) = args?;
      session::logout_url(&client, &data, &password, &options).await
    })
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn authenticate_with_session_cookie<'env>(&self, env: &'env Env, args: Vec<Unknown>) -> Result<PromiseRaw<'env, Raw>> {
    let args = args_of(env, &args);
    let client = self.client.clone();
    promise(env, async move { session::authenticate_with_session_cookie(&client, &args?, &env_var).await })
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn get_session_from_cookie<'env>(&self, env: &'env Env, args: Vec<Unknown>) -> Result<PromiseRaw<'env, Raw>> {
    let args = args_of(env, &args);
    promise(env, async move { session::get_session_from_cookie(&args?, &env_var) })
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn authenticate_with_refresh_token<'env>(&self, env: &'env Env, args: Vec<Unknown>) -> Result<PromiseRaw<'env, Raw>> {
    let args = args_of(env, &args);
    let client = self.client.clone();
    promise(env, async move { session::authenticate_with_refresh_token(&client, &args?).await })
  }

  fn prepare(&self, env: &Env, module: &str, method: &str, args: &[Unknown]) -> std::result::Result<Prepared, CoreError> {
    let op = resources::find(module, method).ok_or_else(|| CoreError::type_error(format!("{}.{} is not a method", module, method)))?;
    op.prepare(&args_of(env, args)?)
  }

  fn list_spec(&self, env: &Env, module: &str, method: &str, args: &[Unknown]) -> std::result::Result<ListSpec, CoreError> {
    match self.prepare(env, module, method, args)? {
      Prepared::List(spec) => Ok(spec),
      Prepared::Call(_) => Err(CoreError::type_error(format!("{}.{} is not a list", module, method))),
    }
  }
}

/// A CookieSession's cookie, password (checked: it may have been changed since construction)
/// and options.
fn session_args(env: &Env, data: Unknown, password: Unknown, options: Option<Unknown>) -> std::result::Result<(JsValue, String, JsValue), CoreError> {
  let data = convert::from_js(env.raw(), data.raw(), "sessionData")?;
  let password = session::check_cookie_session_password(&convert::from_js(env.raw(), password.raw(), "cookiePassword")?)?;
  let options = match options {
    Some(o) => convert::from_js(env.raw(), o.raw(), "options")?,
    None => JsValue::Undefined,
  };
  Ok((data, password, options))
}

fn env_var(name: &str) -> Option<String> {
  std::env::var(name).ok()
}

#[napi(js_name = "NativePager")]
pub struct BindingPager {
  pager: Arc<Pager>,
}

#[napi]
impl BindingPager {
  /// The next page's items, or `null` at the end (as transfer text).
  #[napi(catch_unwind, ts_return_type = "Promise<string>")]
  pub fn next<'env>(&self, env: &'env Env) -> Result<PromiseRaw<'env, Raw>> {
    let pager = self.pager.clone();
    promise_text(env, async move { Ok(pager.next().await?.unwrap_or(JsValue::Null)) })
  }

  /// Whether the walk starts over rather than continuing after the list's first page.
  #[napi(getter, catch_unwind)]
  pub fn restarts(&self) -> bool {
    self.pager.restarts
  }

  /// Stops fetching ahead.
  #[napi(catch_unwind)]
  pub fn close(&self) {
    self.pager.close();
  }
}

/// The guard engine of one `createGuards(workos, options)`.
#[napi(js_name = "NativeGuards")]
pub struct BindingGuards {
  guards: Arc<Guards>,
  /// Whether `board()` was called (one view per board: napi-rs refuses two external buffers
  /// over the same memory).
  board_given: std::sync::atomic::AtomicBool,
}

/// How long an answer made from records expiring at `expires` stands, in whole milliseconds
/// (rounded down, so JavaScript lets go of a lease no later than Rust's caches do).
fn valid_for_ms(expires: std::time::Instant) -> f64 {
  expires.saturating_duration_since(std::time::Instant::now()).as_millis() as f64
}

/// `Ok(())` → `null` (go on); a denial → its `{ allow: false, … }` object.
fn gate_value(r: std::result::Result<(), Denial>) -> JsValue {
  match r {
    Ok(()) => JsValue::Null,
    Err(d) => guards::deny_to_js(&d),
  }
}

fn gate_js(env: &Env, r: std::result::Result<(), Denial>) -> Result<Raw> {
  convert::to_js(env.raw(), &gate_value(r)).map(Raw)
}

#[napi]
impl BindingGuards {
  /// `options`: `{ cacheTtlMs?, negativeCacheTtlMs?, maxEntries? }`.
  #[napi(constructor, catch_unwind)]
  pub fn new(env: Env, client: &BindingClient, options: Unknown) -> Result<Self> {
    let options = convert::from_js(env.raw(), options.raw(), "options")
      .and_then(|o| guard_options(&o))
      .map_err(|e| throw(env.raw(), &e))?;
    Ok(BindingGuards { guards: Arc::new(Guards::new(client.client.clone(), options)), board_given: Default::default() })
  }

  /// A one-element view of the engine's generation word (see `guards::board`), which Rust
  /// advances after every invalidation; or `null` where the runtime copies external memory
  /// instead of sharing it (then JavaScript holds no answers). Given once.
  #[napi(catch_unwind, ts_return_type = "Uint32Array | null")]
  pub fn board(&self, env: Env) -> Result<Raw> {
    if self.board_given.swap(true, std::sync::atomic::Ordering::SeqCst) {
      return Err(throw(env.raw(), &CoreError::type_error("the guard board is given once")));
    }
    let board = self.guards.board();
    let word = board.word();
    // SAFETY: `word` points into the `Board` that the finalizer's `board` keeps alive until
    // JavaScript lets go of the view; JavaScript only reads it.
    let view = unsafe { Uint32ArraySlice::from_external(&env, word, 1, board, |_, board| drop(board)) }?;
    if view.as_ptr() != word.cast_const() {
      return convert::to_js(env.raw(), &JsValue::Null).map(Raw);
    }
    Ok(Raw(view.raw()))
  }

  /// `requireOrganization`'s decision when no I/O is needed: for a cached allow decision, its
  /// id and how many milliseconds it stands (`[id, validForMs]`, and its text as a third item
  /// the first time the id is given out; JavaScript that meets an id again without its text
  /// asks `organizationNowText`), the text of any other, else `null`.
  #[napi(catch_unwind, ts_return_type = "[number, number] | [number, number, string] | string | null")]
  pub fn organization_now(&self, env: Env, user_id: Option<String>, organization_id: Option<String>) -> Result<Raw> {
    let value = match self.guards.organization_now_text(user_id.as_deref(), organization_id.as_deref()) {
      Some(DecisionText { id: Some(id), expires, text, new }) => {
        let valid_for = expires.map_or(0.0, valid_for_ms);
        let mut items = vec![JsValue::Number(id as f64), JsValue::Number(valid_for)];
        if new {
          items.push(JsValue::str(&*text));
        }
        JsValue::Array(items)
      }
      Some(DecisionText { id: None, text, .. }) => return convert::str_to_js(env.raw(), &text).map(Raw),
      None => JsValue::Null,
    };
    convert::to_js(env.raw(), &value).map(Raw)
  }

  /// The text of allow decision `decision`, if it is still the one `organizationNow` gives for
  /// the pair, else `null` (the cache moved on between the two calls: JavaScript then asks
  /// again rather than keep another decision's text under that id).
  #[napi(catch_unwind, ts_return_type = "string | null")]
  pub fn organization_now_text(&self, env: Env, user_id: Option<String>, organization_id: Option<String>, decision: i64) -> Result<Raw> {
    let wanted = u64::try_from(decision).ok();
    match self.guards.organization_now_text(user_id.as_deref(), organization_id.as_deref()) {
      Some(DecisionText { id: Some(id), text, .. }) if Some(id) == wanted => convert::str_to_js(env.raw(), &text).map(Raw),
      _ => convert::to_js(env.raw(), &JsValue::Null).map(Raw),
    }
  }

  #[napi(catch_unwind, ts_return_type = "Promise<string>")]
  pub fn organization<'env>(&self, env: &'env Env, user_id: Option<String>, organization_id: Option<String>) -> Result<PromiseRaw<'env, Raw>> {
    let guards = self.guards.clone();
    promise_text(env, async move { Ok(guards.organization(user_id.as_deref(), organization_id.as_deref()).await.to_js()) })
  }

  /// Registers what a `requireRole(...slugs)` checks; requests name it by the index returned.
  #[napi(catch_unwind)]
  pub fn role_gate(&self, env: Env, allowed: Vec<String>) -> Result<u32> {
    self.register(&env, Gate::Role(allowed.into()))
  }

  /// Registers what a `requireFeature(key)` checks.
  #[napi(catch_unwind)]
  pub fn feature_gate(&self, env: Env, key: String) -> Result<u32> {
    self.register(&env, Gate::Feature(key.into()))
  }

  /// Registers what a `requireAuth(options)` checks (`password` falls back to
  /// `WORKOS_COOKIE_PASSWORD`, read when a request carries the cookie).
  #[napi(catch_unwind)]
  pub fn auth_gate(&self, env: Env, cookie_name: String, password: Option<String>) -> Result<u32> {
    self.register(&env, Gate::Auth { cookie_name, password })
  }

  /// `requireFeature`'s answer when the flags are cached: to go on, how many milliseconds that
  /// answer stands (a number); a denial object; or `undefined` when the API must be asked.
  #[napi(catch_unwind, ts_return_type = "unknown")]
  pub fn feature_now(&self, env: Env, gate: u32, organization_id: Option<String>) -> Result<Raw> {
    let key = self.feature_key(&env, gate)?;
    let v = match self.guards.feature_now(organization_id.as_deref(), &key) {
      Some(Ok(expires)) => JsValue::Number(valid_for_ms(expires)),
      Some(Err(d)) => guards::deny_to_js(&d),
      None => JsValue::Undefined,
    };
    convert::to_js(env.raw(), &v).map(Raw)
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn feature<'env>(&self, env: &'env Env, gate: u32, organization_id: Option<String>) -> Result<PromiseRaw<'env, Raw>> {
    let key = self.feature_key(env, gate)?;
    let guards = self.guards.clone();
    promise(env, async move { Ok(gate_value(guards.feature(organization_id.as_deref(), &key).await)) })
  }

  /// `requireRole` on a membership `requireOrganization` set from allowed decision `decision`
  /// (JavaScript recognises the membership and keeps the id with its copy of the decision):
  /// `null` to go on, a denial object, or `undefined` when the decision is no longer known
  /// (then `role` reads the membership).
  #[napi(catch_unwind, ts_return_type = "unknown")]
  pub fn role_now(&self, env: Env, gate: u32, decision: i64) -> Result<Raw> {
    let allowed = self.role_slugs(&env, gate)?;
    match u64::try_from(decision).ok().and_then(|id| self.guards.role_now(id, &allowed)) {
      Some(r) => gate_js(&env, r),
      None => convert::to_js(env.raw(), &JsValue::Undefined).map(Raw),
    }
  }

  /// The role gates that let allowed decision `decision` through, of those registered so far
  /// (see `Guards::role_verdicts`), or `null` if the decision is no longer known.
  #[napi(catch_unwind, ts_return_type = "number[] | null")]
  pub fn role_verdicts(&self, env: Env, decision: i64) -> Result<Raw> {
    let v = match u64::try_from(decision).ok().and_then(|id| self.guards.role_verdicts(id)) {
      Some(passing) => JsValue::Array(passing.into_iter().map(|n| JsValue::Number(n.into())).collect()),
      None => JsValue::Null,
    };
    convert::to_js(env.raw(), &v).map(Raw)
  }

  /// `requireRole`: `null` to go on, or a denial object, for any `req.membership`.
  #[napi(catch_unwind, ts_return_type = "unknown")]
  pub fn role(&self, env: Env, gate: u32, membership: Unknown) -> Result<Raw> {
    let allowed = self.role_slugs(&env, gate)?;
    let membership = convert::pick(env.raw(), membership.raw(), guards::ROLE_FIELDS, "req.membership").unwrap_or(JsValue::Undefined);
    gate_js(&env, guards::role_decision(&membership, &allowed))
  }

  /// `requireAuth`'s decision when no I/O is needed: `null` to go on with nothing to set (the
  /// common case, so no object is made for it), a decision object, or `undefined` when I/O is
  /// needed. `cookieHeader` is the request's `Cookie` header; `hasUser`, whether the app's own
  /// authentication set `req.user`.
  #[napi(catch_unwind, ts_return_type = "unknown")]
  pub fn auth_now(&self, env: Env, gate: u32, cookie_header: Option<String>, has_user: bool) -> Result<Raw> {
    let request = self.auth_request(&env, gate, cookie_header, has_user)?;
    match self.guards.auth_now(&request) {
      Ok(Some(session::AuthDecision::Pass)) => convert::to_js(env.raw(), &JsValue::Null).map(Raw),
      Ok(Some(session::AuthDecision::Decided(v))) => convert::to_js(env.raw(), &v).map(Raw),
      Ok(None) => convert::to_js(env.raw(), &JsValue::Undefined).map(Raw),
      Err(e) => Err(throw(env.raw(), &e)),
    }
  }

  #[napi(catch_unwind, ts_return_type = "Promise<unknown>")]
  pub fn auth<'env>(&self, env: &'env Env, gate: u32, cookie_header: Option<String>, has_user: bool) -> Result<PromiseRaw<'env, Raw>> {
    let request = self.auth_request(env, gate, cookie_header, has_user)?;
    let guards = self.guards.clone();
    promise(env, async move { guards.auth(&request).await.map(session::AuthDecision::into_js) })
  }

  #[napi(catch_unwind)]
  pub fn invalidate(&self, user_id: Option<String>, organization_id: Option<String>) {
    self.guards.caches.invalidate(user_id.as_deref(), organization_id.as_deref());
  }

  #[napi(catch_unwind)]
  pub fn clear(&self) {
    self.guards.caches.clear();
  }
}

impl BindingGuards {
  fn register(&self, env: &Env, gate: Gate) -> Result<u32> {
    self.guards.gate_index(gate).ok_or_else(|| throw(env.raw(), &CoreError::type_error("too many distinct guard configurations")))
  }

  fn gate(&self, env: &Env, i: u32) -> Result<Arc<Gate>> {
    self.guards.gate(i).ok_or_else(|| throw(env.raw(), &CoreError::type_error(format!("no guard gate {}", i))))
  }

  fn wrong_gate(env: &Env, i: u32, kind: &str) -> napi::Error {
    throw(env.raw(), &CoreError::type_error(format!("guard gate {} is not a {} gate", i, kind)))
  }

  fn role_slugs(&self, env: &Env, i: u32) -> Result<Arc<[String]>> {
    match &*self.gate(env, i)? {
      Gate::Role(allowed) => Ok(allowed.clone()),
      _ => Err(Self::wrong_gate(env, i, "role")),
    }
  }

  fn feature_key(&self, env: &Env, i: u32) -> Result<Arc<str>> {
    match &*self.gate(env, i)? {
      Gate::Feature(key) => Ok(key.clone()),
      _ => Err(Self::wrong_gate(env, i, "feature")),
    }
  }

  fn auth_request(&self, env: &Env, i: u32, cookie_header: Option<String>, has_user: bool) -> Result<session::AuthRequest> {
    match &*self.gate(env, i)? {
      Gate::Auth { cookie_name, password } => {
        Ok(session::AuthRequest::new(cookie_header.as_deref(), cookie_name, password.as_deref(), has_user, || env_var("WORKOS_COOKIE_PASSWORD")))
      }
      _ => Err(Self::wrong_gate(env, i, "auth")),
    }
  }
}

fn guard_options(o: &JsValue) -> std::result::Result<GuardOptions, CoreError> {
  let f = crate::args::options(o, "options", false)?;
  let mut options = GuardOptions::default();
  // Up to a year: longer makes no sense for a cache, and the cache cannot hold centuries.
  const MAX_MS: f64 = 365.0 * 86_400_000.0;
  let ms = |key: &str| -> std::result::Result<Option<std::time::Duration>, CoreError> {
    match f.number(key)? {
      JsValue::Number(n) if (0.0..=MAX_MS).contains(&n) => Ok(Some(std::time::Duration::from_millis(n as u64))),
      JsValue::Number(_) => Err(CoreError::type_error(format!("options.{} must be from 0 to {} (a year)", key, MAX_MS))),
      _ => Ok(None),
    }
  };
  if let Some(ttl) = ms("cacheTtlMs")? {
    options.ttl = ttl;
  }
  if let Some(ttl) = ms("negativeCacheTtlMs")? {
    options.negative_ttl = ttl;
  }
  if let JsValue::Number(n) = f.number("maxEntries")? {
    if n < 1.0 {
      return Err(CoreError::type_error("options.maxEntries must be at least 1"));
    }
    options.max_entries = n as u64;
  }
  Ok(options)
}
