//! The warm path's own cache: a decision already made, found with one hash lookup under an
//! uncontended lock. The moka caches stay the source of truth; a moka read pins a crossbeam
//! epoch and records the read for its eviction policy, and `requireOrganization` needed two of
//! them per request, `requireFeature` one. An entry here is made from moka's records, expires
//! when the first of them would, and every invalidation empties this cache whole.

use std::collections::HashSet;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use rustc_hash::FxHashMap;

use crate::value::Str;

/// A cached allow decision, as the binding hands it out.
#[derive(Debug, Clone)]
pub struct Warm {
  /// Never given to another text: JavaScript keeps what it decoded under it.
  pub id: u64,
  pub text: Arc<str>,
  pub expires: Instant,
}

impl Warm {
  pub fn new(id: u64, text: Arc<str>, expires: Instant) -> Warm {
    Warm { id, text, expires }
  }
}

#[derive(Default)]
struct Inner {
  /// user → organization → decision.
  decisions: FxHashMap<Str, FxHashMap<Str, Warm>>,
  /// Decision id → the membership's role slugs, for `requireRole` after `requireOrganization`.
  roles: FxHashMap<u64, Arc<[Str]>>,
  /// organization → (expiry, enabled flag slugs).
  flags: FxHashMap<Str, (Instant, Arc<HashSet<String>>)>,
}

pub struct Front {
  inner: Mutex<Inner>,
  /// Most users, decisions and organizations kept; past it a map starts over.
  max: usize,
}

impl Front {
  pub fn new(max: u64) -> Front {
    Front { inner: Mutex::default(), max: usize::try_from(max).unwrap_or(usize::MAX).max(1) }
  }

  fn lock(&self) -> MutexGuard<'_, Inner> {
    self.inner.lock().unwrap_or_else(|e| e.into_inner())
  }

  pub fn decision(&self, user: &str, org: &str, now: Instant) -> Option<Warm> {
    let inner = self.lock();
    inner.decisions.get(user)?.get(org).filter(|w| w.expires > now).cloned()
  }

  pub fn roles(&self, id: u64) -> Option<Arc<[Str]>> {
    self.lock().roles.get(&id).cloned()
  }

  /// An organization's enabled flags, with when they expire.
  pub fn flags(&self, org: &str, now: Instant) -> Option<(Instant, Arc<HashSet<String>>)> {
    self.lock().flags.get(org).filter(|(expires, _)| *expires > now).cloned()
  }

  /// Keeps a decision, unless `still_valid` (checked under the lock) says an invalidation came
  /// since its records were read.
  pub fn keep_decision(&self, user: &str, org: &str, warm: Warm, roles: Arc<[Str]>, still_valid: impl FnOnce() -> bool) {
    let mut inner = self.lock();
    if !still_valid() {
      return;
    }
    if inner.decisions.len() >= self.max && !inner.decisions.contains_key(user) {
      inner.decisions.clear();
    }
    if inner.roles.len() >= self.max {
      inner.roles.clear();
    }
    inner.roles.insert(warm.id, roles);
    inner.decisions.entry(user.into()).or_default().insert(org.into(), warm);
  }

  pub fn keep_flags(&self, org: &str, expires: Instant, flags: Arc<HashSet<String>>, still_valid: impl FnOnce() -> bool) {
    let mut inner = self.lock();
    if !still_valid() {
      return;
    }
    if inner.flags.len() >= self.max {
      inner.flags.clear();
    }
    inner.flags.insert(org.into(), (expires, flags));
  }

  pub fn clear(&self) {
    let mut inner = self.lock();
    inner.decisions.clear();
    inner.roles.clear();
    inner.flags.clear();
  }
}
