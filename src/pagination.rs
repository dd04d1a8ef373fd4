//! Walking a list past its first page.
//!
//! `Pager` feeds `for await`: it fetches pages of 100 lazily, one page ahead of the consumer at
//! most, with no sleep between pages (the server paces us with 429 and `Retry-After`, which the
//! transport honours). `auto_paginate` builds `autoPagination()`'s array; when the walk starts
//! at an end of the list it walks from both ends at once and joins the halves where they meet.

use std::collections::HashSet;
use std::sync::Arc;

use tokio::sync::Mutex;
use tokio::task::JoinHandle;

use crate::client::Client;
use crate::errors::Error;
use crate::resources::ListSpec;
use crate::value::{join_transfer, JsValue, TransferPart};

type PageResult = Result<(JsValue, Option<String>), Error>;
/// A page's wire items and the next page's cursor.
type RawPageResult = Result<(Vec<JsValue>, Option<String>), Error>;

pub struct Pager {
  client: Arc<Client>,
  spec: ListSpec,
  state: Mutex<PagerState>,
  /// Whether the walk starts over instead of continuing after the first page (see `start`).
  pub restarts: bool,
  /// Set by `close`: no page is fetched ahead any more, even by a `next` already under way.
  closed: std::sync::atomic::AtomicBool,
}

#[derive(Default)]
struct PagerState {
  next: Option<JoinHandle<PageResult>>,
  done: bool,
}

impl Pager {
  /// The pager of one `for await` over a list whose first page's cursor is `after`. It
  /// continues after the first page, or, when the caller gave a `before` cursor, starts over as
  /// `autoPagination()` does (pages of 100 from the caller's cursors), so both yield the same
  /// items. It starts fetching at once. Must be called inside the tokio runtime.
  pub fn start(client: Arc<Client>, spec: ListSpec, after: Option<String>) -> Pager {
    let mut state = PagerState::default();
    let restarts = !spec.single_page() && spec.entries.get("before").truthy();
    if restarts {
      state.next = Some(spawn_page(&client, &spec, spec.entries.get("after").clone()));
    } else {
      match after {
        Some(cursor) if !spec.single_page() => state.next = Some(spawn_page(&client, &spec, JsValue::str(cursor))),
        _ => state.done = true,
      }
    }
    Pager { client, spec, state: Mutex::new(state), restarts, closed: Default::default() }
  }

  /// The items of the next page, or `None` at the end.
  pub async fn next(&self) -> Result<Option<JsValue>, Error> {
    let mut state = self.state.lock().await;
    let Some(handle) = state.next.take() else {
      state.done = true;
      return Ok(None);
    };
    let joined = handle.await.map_err(|e| Error::Plain(format!("page fetch failed: {}", e)))?;
    let (page, after) = match joined {
      Ok(p) => p,
      Err(e) => {
        state.done = true;
        return Err(e);
      }
    };
    match after {
      // Fetch the following page while the consumer handles this one.
      Some(cursor) if !self.closed.load(std::sync::atomic::Ordering::SeqCst) => {
        state.next = Some(spawn_page(&self.client, &self.spec, JsValue::str(cursor)))
      }
      _ => state.done = true,
    }
    Ok(Some(JsValue::Array(data_of(page))))
  }

  /// Stops: the page being fetched ahead is abandoned (a request already sent may still reach
  /// the server), and no further page is fetched.
  pub fn close(&self) {
    self.closed.store(true, std::sync::atomic::Ordering::SeqCst);
    if let Ok(mut state) = self.state.try_lock() {
      if let Some(h) = state.next.take() {
        h.abort();
      }
      state.done = true;
    }
  }
}

impl Drop for Pager {
  fn drop(&mut self) {
    if let Some(h) = self.state.get_mut().next.take() {
      h.abort();
    }
  }
}

fn spawn_page(client: &Arc<Client>, spec: &ListSpec, cursor: JsValue) -> JoinHandle<PageResult> {
  let (client, spec) = (client.clone(), spec.clone());
  tokio::spawn(async move {
    let request = spec.page_request(cursor);
    client.page(&spec, &request).await
  })
}

/// `autoPagination()`'s items, each read into its model and encoded for the trip to JavaScript
/// as its page arrived (while the next page was on its way), with its id.
pub struct AutoItems(Vec<(String, TransferPart)>);

impl AutoItems {
  pub fn ids(&self) -> Vec<&str> {
    self.0.iter().map(|(id, _)| id.as_str()).collect()
  }

  /// The transfer text of the array of the items (`value::to_transfer_text`).
  pub fn to_transfer_text(&self) -> String {
    join_transfer(self.0.iter().map(|(_, part)| part))
  }
}

/// `autoPagination()`: every item from the list's start (the caller's `after`, if any), in the
/// official order; `None` when the caller gave `limit` (the first page is the answer then).
pub async fn auto_paginate(client: &Arc<Client>, spec: &ListSpec) -> Result<Option<AutoItems>, Error> {
  if spec.single_page() {
    return Ok(None);
  }
  let items = match reversed(spec) {
    Some(reverse) => two_ended(client, spec, &reverse).await?,
    None => walk(client, spec, spec.entries.get("after").clone(), |w| encoded(spec, w)).await?,
  };
  Ok(Some(AutoItems(items)))
}

/// Every item of a list, from its start, whatever `limit` the options give.
pub async fn all_pages(client: &Arc<Client>, spec: &ListSpec) -> Result<Vec<JsValue>, Error> {
  walk(client, spec, JsValue::Undefined, spec.item).await
}

fn encoded(spec: &ListSpec, wire: &JsValue) -> (String, TransferPart) {
  (id_of(wire), TransferPart::of(&(spec.item)(wire)))
}

/// A page being fetched by its own task; dropping it abandons the fetch.
struct Fetch(JoinHandle<RawPageResult>);

impl Fetch {
  fn start(client: &Arc<Client>, spec: &ListSpec, cursor: JsValue) -> Fetch {
    let (client, request) = (client.clone(), spec.page_request(cursor));
    Fetch(tokio::spawn(async move { client.raw_page(&request).await }))
  }

  async fn wait(mut self) -> RawPageResult {
    (&mut self.0).await.map_err(|e| Error::Plain(format!("page fetch failed: {}", e)))?
  }
}

impl Drop for Fetch {
  fn drop(&mut self) {
    self.0.abort();
  }
}

/// Every page from `after` on, one after another; each page's wire items go through `read`
/// while the next page is being fetched.
async fn walk<T>(client: &Arc<Client>, spec: &ListSpec, after: JsValue, read: impl Fn(&JsValue) -> T) -> Result<Vec<T>, Error> {
  let mut items = Vec::new();
  let mut next = Some(Fetch::start(client, spec, after));
  while let Some(fetch) = next.take() {
    let (page, cursor) = fetch.wait().await?;
    next = cursor.map(|c| Fetch::start(client, spec, JsValue::str(c)));
    items.extend(page.iter().map(&read));
  }
  Ok(items)
}

/// The same list in the opposite order, when the walk starts at an end of the list (no cursor
/// given) and the order is one that can be reversed.
fn reversed(spec: &ListSpec) -> Option<ListSpec> {
  if spec.entries.get("after").truthy() || spec.entries.get("before").truthy() {
    return None;
  }
  let opposite = match spec.entries.get("order") {
    o if !o.truthy() => "asc",
    JsValue::String(s) if s == "desc" => "asc",
    JsValue::String(s) if s == "asc" => "desc",
    _ => return None,
  };
  let mut reverse = spec.clone();
  reverse.entries.set("order", JsValue::str(opposite));
  Some(reverse)
}

/// What the two walks of `two_ended` have seen.
#[derive(Default)]
struct Meeting {
  seen: [HashSet<String>; 2],
  /// The walks met (an item seen by both) or one reached its end: both stop.
  over: bool,
}

/// One end's walk: pages one after another, each asked as soon as the previous one arrived,
/// until it meets the other walk or reaches the end. Each page is read into models and encoded
/// (with `forward`'s reader) while the next one is on its way. Returns its items and whether it
/// reached the end.
async fn walk_end(
  client: &Arc<Client>,
  spec: &ListSpec,
  forward: &ListSpec,
  side: usize,
  meeting: &std::sync::Mutex<Meeting>,
) -> Result<(Vec<(String, TransferPart)>, bool), Error> {
  let mut items = Vec::new();
  let mut fetch = Fetch::start(client, spec, JsValue::Undefined);
  loop {
    let (page, cursor) = fetch.wait().await?;
    let ended = cursor.is_none();
    let next = {
      let mut m = meeting.lock().unwrap_or_else(|e| e.into_inner());
      for item in &page {
        let id = id_of(item);
        if m.seen[1 - side].contains(&id) {
          m.over = true;
        }
        m.seen[side].insert(id);
      }
      m.over |= ended;
      if m.over { None } else { cursor.map(|c| Fetch::start(client, spec, JsValue::str(c))) }
    };
    items.extend(page.iter().map(|w| encoded(forward, w)));
    match next {
      // The other walk may have stopped this one while it read its page: then the page asked
      // for is dropped (its fetch abandoned).
      Some(f) if !meeting.lock().unwrap_or_else(|e| e.into_inner()).over => fetch = f,
      _ => return Ok((items, ended)),
    }
  }
}

/// Walks forward from the start and backward from the end concurrently, each at its own pace;
/// both stop when they meet (an item seen by both) or one reaches its end, and the halves are
/// joined in the forward order.
async fn two_ended(client: &Arc<Client>, forward: &ListSpec, backward: &ListSpec) -> Result<Vec<(String, TransferPart)>, Error> {
  let meeting = std::sync::Mutex::new(Meeting::default());
  let (f, b) = tokio::join!(walk_end(client, forward, forward, 0, &meeting), walk_end(client, backward, forward, 1, &meeting));
  let ((mut front, front_ended), (mut back, back_ended)) = (f?, b?);
  if front_ended {
    return Ok(front);
  }
  if back_ended {
    back.reverse();
    return Ok(back);
  }
  // Both walks start at an end: for a list of two or more items their first items differ. If
  // they do not, the server did not honour `order`; walk the plain way instead.
  if front.first().map(|(id, _)| id) == back.first().map(|(id, _)| id) {
    return walk(client, forward, forward.entries.get("after").clone(), |w| encoded(forward, w)).await;
  }
  let front_ids: HashSet<&str> = front.iter().map(|(id, _)| id.as_str()).collect();
  back.reverse();
  let back: Vec<_> = back.into_iter().filter(|(id, _)| !front_ids.contains(id.as_str())).collect();
  front.extend(back);
  Ok(front)
}

fn data_of(page: JsValue) -> Vec<JsValue> {
  match page {
    JsValue::Object(mut o) => match o.props.iter().position(|(k, _)| k == "data") {
      Some(i) => match o.props.swap_remove(i).1 {
        JsValue::Array(items) => items,
        _ => Vec::new(),
      },
      None => Vec::new(),
    },
    _ => Vec::new(),
  }
}

fn id_of(item: &JsValue) -> String {
  item.get("id").to_js_string()
}

#[cfg(test)]
mod tests;
