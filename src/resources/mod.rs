//! The API surface: one module per resource, as in the official SDK. Each operation turns
//! JavaScript arguments into a request (checking them first) and says how to read the answer.

pub mod audit_logs;
pub mod model;
pub mod organizations;
pub mod user_management;

use crate::errors::Error;
pub use crate::guards::Effect;
use crate::transport::{Query, Request};
use crate::value::{JsObject, JsValue};

/// How a response becomes the value the caller gets.
#[derive(Clone, Copy)]
pub enum Output {
  /// Deserialize the JSON body.
  Json(fn(&JsValue) -> JsValue),
  /// Resolve `undefined`; the body is not read.
  Void,
}

/// A single request, the reading of its answer, and what it changes for the guard caches.
pub struct Call {
  pub request: Request,
  pub output: Output,
  pub effect: Effect,
}

impl Call {
  pub fn new(request: Request, output: Output) -> Call {
    Call { request, output, effect: Effect::None }
  }

  pub fn with_effect(mut self, effect: Effect) -> Call {
    self.effect = effect;
    self
  }
}

/// A paginated list: where it lives, the options its pages are asked with, and how items read.
#[derive(Clone)]
pub struct ListSpec {
  pub path: String,
  /// The options sent as the query (caller's, or serialized to wire names), path ids removed.
  pub entries: JsObject,
  /// The list object's `options` member, as the official SDK reports it.
  pub options: JsValue,
  pub item: fn(&JsValue) -> JsValue,
}

impl ListSpec {
  /// Whether the caller asked for one page only (`limit` given): then iteration and
  /// `autoPagination()` stop after the first page, as the official `autoPagination()` does.
  pub fn single_page(&self) -> bool {
    self.entries.get("limit").truthy()
  }

  pub fn first_request(&self) -> Request {
    self.request(list_query(&self.entries))
  }

  /// A later page: the same options with `limit: 100` and the cursor, as `generatePages` asks.
  pub fn page_request(&self, after: JsValue) -> Request {
    let mut entries = self.entries.clone();
    entries.set("limit", JsValue::Number(100.0));
    entries.set("after", after);
    self.request(list_query(&entries))
  }

  fn request(&self, query: Query) -> Request {
    Request::new(crate::transport::Method::Get, self.path.clone()).with_query(query)
  }
}

pub enum Prepared {
  Call(Call),
  List(ListSpec),
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
  /// Resolves to a value (or `undefined`).
  Call,
  /// Resolves to a list object that can be iterated.
  List,
  /// Returns a value synchronously; no request.
  Sync,
}

/// What a synchronous operation may know about its client.
pub struct Context<'a> {
  pub base_url: &'a str,
}

pub enum Handler {
  Request(fn(&[JsValue]) -> Result<Prepared, Error>),
  Sync(fn(&Context, &[JsValue]) -> Result<JsValue, Error>),
}

pub struct Operation {
  pub module: &'static str,
  pub method: &'static str,
  pub kind: Kind,
  pub handler: Handler,
}

impl Operation {
  pub const fn call(module: &'static str, method: &'static str, prepare: fn(&[JsValue]) -> Result<Prepared, Error>) -> Operation {
    Operation { module, method, kind: Kind::Call, handler: Handler::Request(prepare) }
  }

  pub const fn list(module: &'static str, method: &'static str, prepare: fn(&[JsValue]) -> Result<Prepared, Error>) -> Operation {
    Operation { module, method, kind: Kind::List, handler: Handler::Request(prepare) }
  }

  pub const fn sync(module: &'static str, method: &'static str, run: fn(&Context, &[JsValue]) -> Result<JsValue, Error>) -> Operation {
    Operation { module, method, kind: Kind::Sync, handler: Handler::Sync(run) }
  }

  /// The request of a `Call` or `List` operation.
  pub fn prepare(&self, args: &[JsValue]) -> Result<Prepared, Error> {
    match self.handler {
      Handler::Request(prepare) => prepare(args),
      Handler::Sync(_) => Err(Error::type_error(format!("{}.{} sends no request", self.module, self.method))),
    }
  }
}

/// Every operation of every module.
pub fn operations() -> impl Iterator<Item = &'static Operation> {
  organizations::OPERATIONS.iter().chain(user_management::OPERATIONS.iter()).chain(audit_logs::OPERATIONS.iter())
}

pub fn find(module: &str, method: &str) -> Option<&'static Operation> {
  operations().find(|op| op.module == module && op.method == method)
}

/// The query of a list's first page: the given entries, then `order` defaulting to `desc`
/// (a given `order` key, even `undefined`, keeps its position), as `setDefaultOptions` does.
pub fn list_query(entries: &JsObject) -> Query {
  let mut q = Query::new();
  for (k, v) in &entries.props {
    q.set(k, v.clone());
  }
  let order = entries.get("order");
  q.set("order", if order.truthy() { order.clone() } else { JsValue::str("desc") });
  q
}
