//! The one word of the guard engine that JavaScript reads without calling in: a generation
//! number, advanced after every invalidation.
//!
//! Calling into the addon was the largest cost left on a warm guarded request (measured in the
//! guards benchmark: one call of any kind per request, however small, cost an Express app
//! 6-8 % of its throughput; a second call little more). So JavaScript holds Rust's warm answers
//! (the id of an allow decision, a passing feature gate) as leases: each stamped with the
//! generation read *before* Rust was asked, and with the time Rust said the answer stands
//! until (when the cached records it was made from expire). A lease whose generation is no
//! longer the board's is asked of Rust again. Nothing is decided in JavaScript, and the caches
//! of record stay here.
//!
//! Order matters: the generation advances *after* the caches are emptied, so an answer given
//! before the emptying finished was read under the old generation, and its lease dies with it.

use std::sync::atomic::{AtomicU32, Ordering};

#[derive(Debug, Default)]
pub struct Board {
  generation: AtomicU32,
}

impl Board {
  pub fn generation(&self) -> u32 {
    self.generation.load(Ordering::SeqCst)
  }

  /// Called once what an invalidation changes is gone from every cache.
  pub fn advance(&self) {
    self.generation.fetch_add(1, Ordering::SeqCst);
  }

  /// The word itself, for the view JavaScript reads (an external buffer over it, which keeps
  /// the board alive). JavaScript only reads it.
  pub fn word(&self) -> *mut u32 {
    self.generation.as_ptr()
  }
}
