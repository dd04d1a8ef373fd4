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
use crate::value::JsValue;

type PageResult = Result<(JsValue, Option<String>), Error>;

pub struct Pager {
  client: Arc<Client>,
  spec: ListSpec,
  state: Mutex<PagerState>,
  /// Whether the walk starts over instead of continuing after the first page (see `start`).
  pub restarts: bool,
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
        Some(cursor) if !spec.single_page() => state.next = Some(spawn_page(&client, &spec, JsValue::String(cursor))),
        _ => state.done = true,
      }
    }
    Pager { client, spec, state: Mutex::new(state), restarts }
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
      Some(cursor) => state.next = Some(spawn_page(&self.client, &self.spec, JsValue::String(cursor))),
      None => state.done = true,
    }
    Ok(Some(JsValue::Array(data_of(page))))
  }

  /// Stops: the page being fetched ahead is abandoned.
  pub fn close(&self) {
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

/// `autoPagination()`: every item from the list's start (the caller's `after`, if any), in the
/// official order; `None` when the caller gave `limit` (the first page is the answer then).
pub async fn auto_paginate(client: &Arc<Client>, spec: &ListSpec) -> Result<Option<Vec<JsValue>>, Error> {
  if spec.single_page() {
    return Ok(None);
  }
  match reversed(spec) {
    Some(reverse) => two_ended(client, spec, &reverse).await.map(Some),
    None => walk(client, spec, spec.entries.get("after").clone()).await.map(Some),
  }
}

/// Every item of a list, from its start, whatever `limit` the options give.
pub async fn all_pages(client: &Client, spec: &ListSpec) -> Result<Vec<JsValue>, Error> {
  walk(client, spec, JsValue::Undefined).await
}

/// Every page from `after` on, one after another.
async fn walk(client: &Client, spec: &ListSpec, after: JsValue) -> Result<Vec<JsValue>, Error> {
  let mut items = Vec::new();
  let mut cursor = after;
  loop {
    let (page, next) = client.page(spec, &spec.page_request(cursor)).await?;
    push_data(&mut items, page);
    match next {
      Some(c) => cursor = JsValue::String(c),
      None => return Ok(items),
    }
  }
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

/// Walks forward from the start and backward from the end concurrently; stops when the two
/// walks meet (an item seen by both) or either reaches its end, and joins the halves.
async fn two_ended(client: &Arc<Client>, forward: &ListSpec, backward: &ListSpec) -> Result<Vec<JsValue>, Error> {
  let mut front: Vec<JsValue> = Vec::new();
  let mut back: Vec<JsValue> = Vec::new(); // newest-last order reversed: back[0] is the list's last item
  let (mut front_ids, mut back_ids) = (HashSet::new(), HashSet::new());
  let (mut f_cursor, mut b_cursor) = (Some(JsValue::Undefined), Some(JsValue::Undefined));
  loop {
    let f = f_cursor.take().map(|c| fetch(client, forward, c));
    let b = b_cursor.take().map(|c| fetch(client, backward, c));
    let (f, b) = match (f, b) {
      (Some(f), Some(b)) => {
        let (f, b) = tokio::join!(f, b);
        (Some(f?), Some(b?))
      }
      (Some(f), None) => (Some(f.await?), None),
      (None, Some(b)) => (None, Some(b.await?)),
      (None, None) => break,
    };
    let mut met = false;
    if let Some((page, next)) = f {
      for item in data_of(page) {
        met |= back_ids.contains(&id_of(&item));
        front_ids.insert(id_of(&item));
        front.push(item);
      }
      match next {
        Some(c) => f_cursor = Some(JsValue::String(c)),
        None => return Ok(front), // the forward walk alone covered the list
      }
    }
    if let Some((page, next)) = b {
      for item in data_of(page) {
        met |= front_ids.contains(&id_of(&item));
        back_ids.insert(id_of(&item));
        back.push(item);
      }
      if next.is_none() {
        back.reverse();
        return Ok(back);
      }
      b_cursor = next.map(JsValue::String);
    }
    if met {
      break;
    }
  }
  // Join: everything the forward walk saw, then the backward walk's items it did not see.
  back.reverse();
  front.extend(back.into_iter().filter(|item| !front_ids.contains(&id_of(item))));
  Ok(front)
}

async fn fetch(client: &Client, spec: &ListSpec, cursor: JsValue) -> PageResult {
  client.page(spec, &spec.page_request(cursor)).await
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

fn push_data(items: &mut Vec<JsValue>, page: JsValue) {
  items.extend(data_of(page));
}

fn id_of(item: &JsValue) -> String {
  item.get("id").to_js_string()
}

#[cfg(test)]
mod tests;
