//! Concurrent loads of one key share one call, and its result (error included).

use std::collections::HashMap;
use std::future::Future;
use std::hash::Hash;
use std::sync::{Arc, Mutex};

use tokio::sync::OnceCell;

pub struct SingleFlight<K, V> {
  inflight: Mutex<HashMap<K, Arc<OnceCell<V>>>>,
}

impl<K: Hash + Eq + Clone, V: Clone> Default for SingleFlight<K, V> {
  fn default() -> Self {
    SingleFlight { inflight: Mutex::new(HashMap::new()) }
  }
}

impl<K: Hash + Eq + Clone, V: Clone> SingleFlight<K, V> {
  /// Whether a load of `key` is under way now.
  pub fn is_running(&self, key: &K) -> bool {
    self.inflight.lock().unwrap_or_else(|e| e.into_inner()).contains_key(key)
  }

  /// Runs `load` unless a load of `key` is already under way, in which case its result is
  /// awaited instead.
  pub async fn run<F, Fut>(&self, key: K, load: F) -> V
  where
    F: FnOnce() -> Fut,
    Fut: Future<Output = V>,
  {
    let cell = {
      let mut map = self.inflight.lock().unwrap_or_else(|e| e.into_inner());
      map.entry(key.clone()).or_insert_with(|| Arc::new(OnceCell::new())).clone()
    };
    let value = cell.get_or_init(load).await.clone();
    let mut map = self.inflight.lock().unwrap_or_else(|e| e.into_inner());
    if map.get(&key).is_some_and(|c| Arc::ptr_eq(c, &cell)) {
      map.remove(&key);
    }
    value
  }
}

#[cfg(test)]
mod tests {
  use super::*;
  use std::sync::atomic::{AtomicUsize, Ordering};
  use std::time::Duration;

  #[tokio::test]
  async fn concurrent_loads_share_one_call_and_its_error() {
    let flight = Arc::new(SingleFlight::<String, Result<u32, String>>::default());
    let calls = Arc::new(AtomicUsize::new(0));
    let mut tasks = Vec::new();
    for _ in 0..50 {
      let (flight, calls) = (flight.clone(), calls.clone());
      tasks.push(tokio::spawn(async move {
        flight
          .run("k".into(), || async move {
            calls.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(50)).await;
            Err::<u32, String>("down".into())
          })
          .await
      }));
    }
    for t in tasks {
      assert_eq!(t.await.unwrap(), Err("down".into()));
    }
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // A later load runs again (results are not kept).
    assert_eq!(flight.run("k".into(), || async { Ok(1) }).await, Ok(1));
  }
}
