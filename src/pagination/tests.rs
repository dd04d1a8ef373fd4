use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::client::{resolve, Client};
use crate::resources::{organizations, Prepared};
use crate::test_server::{serve_with, Received, Reply, TestServer};

/// A WorkOS-style list of `n` organizations (`org_0` oldest), paginated by cursor.
async fn list_server(n: usize) -> TestServer {
  serve_with(move |req: &Received| {
    let query = req.target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
    let limit = get("limit").and_then(|l| l.parse().ok()).unwrap_or(10usize);
    let asc = get("order").as_deref() == Some("asc");
    let mut ids: Vec<usize> = (0..n).collect();
    if !asc {
      ids.reverse();
    }
    let start = match get("after") {
      Some(a) => ids.iter().position(|i| format!("org_{i}") == a).map(|p| p + 1).unwrap_or(0),
      None => 0,
    };
    let page: Vec<usize> = ids.iter().skip(start).take(limit).copied().collect();
    let more = start + page.len() < ids.len();
    let after = if more { format!("\"org_{}\"", page.last().unwrap()) } else { "null".into() };
    let data: Vec<String> = page.iter().map(|i| format!(r#"{{"object":"organization","id":"org_{i}","name":"Org {i}","domains":[]}}"#)).collect();
    Reply::Json(200, vec![], format!(r#"{{"object":"list","data":[{}],"list_metadata":{{"before":null,"after":{}}}}}"#, data.join(","), after))
  })
  .await
}

fn client(base_url: &str) -> Arc<Client> {
  let opts = JsValue::object(vec![("apiHostname", JsValue::str(base_url.trim_start_matches("http://"))), ("https", JsValue::Bool(false))]);
  let (identity, config) = resolve(&JsValue::str("sk_test"), &opts, &|_| None, "node").unwrap();
  Arc::new(Client::new(identity, config).unwrap())
}

fn spec(options: JsValue) -> ListSpec {
  let op = crate::resources::find("organizations", "listOrganizations").unwrap();
  match op.prepare(&[options]).unwrap() {
    Prepared::List(s) => s,
    Prepared::Call(_) => unreachable!(),
  }
}

fn ids(items: &AutoItems) -> Vec<String> {
  items.ids().into_iter().map(String::from).collect()
}

fn expected_desc(n: usize) -> Vec<String> {
  (0..n).rev().map(|i| format!("org_{i}")).collect()
}

#[tokio::test]
async fn pager_walks_every_page_after_the_first() {
  let server = list_server(250).await;
  let c = client(&server.base_url);
  let s = spec(JsValue::Undefined);
  let (first, after) = c.page(&s, &s.first_request()).await.unwrap();
  let mut all = match first.get("data") {
    JsValue::Array(items) => items.clone(),
    _ => panic!(),
  };
  let pager = Pager::start(c.clone(), s, after);
  while let Some(JsValue::Array(items)) = pager.next().await.unwrap() {
    all.extend(items);
  }
  let all_ids: Vec<String> = all.iter().map(|i| i.get("id").to_js_string()).collect();
  assert_eq!(all_ids, expected_desc(250));
  let targets: Vec<String> = server.received.lock().unwrap().iter().map(|r| r.target.clone()).collect();
  assert_eq!(targets[0], "/organizations?order=desc");
  assert_eq!(targets[1], "/organizations?limit=100&after=org_240&order=desc");
  assert_eq!(targets.len(), 4); // 10 + 100 + 100 + 40
}

#[tokio::test]
async fn pager_fetches_one_page_ahead_only() {
  let server = list_server(1000).await;
  let c = client(&server.base_url);
  let s = spec(JsValue::Undefined);
  let (_, after) = c.page(&s, &s.first_request()).await.unwrap();
  let pager = Pager::start(c, s, after);
  pager.next().await.unwrap();
  tokio::time::sleep(Duration::from_millis(200)).await;
  // First page, the page consumed, and one fetched ahead.
  assert_eq!(server.received.lock().unwrap().len(), 3);
  pager.close();
  assert_eq!(pager.next().await.unwrap(), None);
}

#[tokio::test]
async fn a_limit_means_one_page() {
  let server = list_server(50).await;
  let c = client(&server.base_url);
  let s = spec(JsValue::object(vec![("limit", JsValue::Number(5.0))]));
  let pager = Pager::start(c.clone(), s.clone(), Some("org_45".into()));
  assert_eq!(pager.next().await.unwrap(), None);
  assert!(auto_paginate(&c, &s).await.unwrap().is_none());
  assert!(server.received.lock().unwrap().is_empty());
}

#[tokio::test]
async fn auto_paginate_from_both_ends_gives_the_official_order() {
  for n in [0usize, 1, 99, 100, 101, 250, 1001] {
    let server = list_server(n).await;
    let c = client(&server.base_url);
    let all = auto_paginate(&c, &spec(JsValue::Undefined)).await.unwrap().unwrap();
    assert_eq!(ids(&all), expected_desc(n), "n = {n}");
    let asc = auto_paginate(&c, &spec(JsValue::object(vec![("order", JsValue::str("asc"))]))).await.unwrap().unwrap();
    let mut expected = expected_desc(n);
    expected.reverse();
    assert_eq!(ids(&asc), expected, "asc n = {n}");
  }
}

#[tokio::test]
async fn auto_paginate_from_a_cursor_walks_one_way() {
  let server = list_server(300).await;
  let c = client(&server.base_url);
  let all = auto_paginate(&c, &spec(JsValue::object(vec![("after", JsValue::str("org_200"))]))).await.unwrap().unwrap();
  assert_eq!(ids(&all), (0..200).rev().map(|i| format!("org_{i}")).collect::<Vec<_>>());
  assert!(server.received.lock().unwrap().iter().all(|r| !r.target.contains("order=asc")));
}

#[tokio::test]
async fn two_ended_walk_halves_the_round_trips() {
  let server = list_server(10_000).await;
  let c = client(&server.base_url);
  let all = auto_paginate(&c, &spec(JsValue::Undefined)).await.unwrap().unwrap();
  assert_eq!(all.ids().len(), 10_000);
  // 100 pages walked from two ends: about 51 rounds of two concurrent requests.
  let n = server.received.lock().unwrap().len();
  assert!(n <= 104, "{n} requests");
  let _ = organizations::OPERATIONS.len();
}

#[tokio::test]
async fn a_server_that_ignores_order_still_gets_the_whole_list() {
  // Every page in the same (desc) order whatever `order` says.
  let server = serve_with(move |req: &Received| {
    let query = req.target.split_once('?').map(|(_, q)| q).unwrap_or("");
    let params: Vec<(String, String)> = form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let after = params.iter().find(|(k, _)| k == "after").map(|(_, v)| v.clone());
    let ids: Vec<usize> = (0..250).rev().collect();
    let start = after.and_then(|a| ids.iter().position(|i| format!("org_{i}") == a)).map(|p| p + 1).unwrap_or(0);
    let page: Vec<usize> = ids.iter().skip(start).take(100).copied().collect();
    let more = start + page.len() < ids.len();
    let after = if more { format!("\"org_{}\"", page.last().unwrap()) } else { "null".into() };
    let data: Vec<String> = page.iter().map(|i| format!(r#"{{"id":"org_{i}","domains":[]}}"#)).collect();
    Reply::Json(200, vec![], format!(r#"{{"data":[{}],"list_metadata":{{"after":{}}}}}"#, data.join(","), after))
  })
  .await;
  let c = client(&server.base_url);
  let all = auto_paginate(&c, &spec(JsValue::Undefined)).await.unwrap().unwrap();
  assert_eq!(ids(&all), expected_desc(250));
}

#[tokio::test]
async fn closing_while_a_page_is_awaited_fetches_nothing_more() {
  let server = list_server(1000).await;
  let c = client(&server.base_url);
  let s = spec(JsValue::Undefined);
  let (_, after) = c.page(&s, &s.first_request()).await.unwrap();
  let pager = Arc::new(Pager::start(c, s, after));
  let waiting = {
    let pager = pager.clone();
    tokio::spawn(async move { pager.next().await })
  };
  tokio::time::sleep(Duration::from_millis(1)).await;
  pager.close();
  assert!(matches!(waiting.await.unwrap().unwrap(), Some(JsValue::Array(_))));
  assert_eq!(pager.next().await.unwrap(), None);
  tokio::time::sleep(Duration::from_millis(200)).await;
  // The first page and the one already being fetched; nothing after the close.
  assert_eq!(server.received.lock().unwrap().len(), 2);
}
