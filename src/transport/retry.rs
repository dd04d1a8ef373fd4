//! When to try a request again, and how long to wait first.

use std::time::{Duration, SystemTime};

/// Statuses worth another attempt: timeouts, rate limits and transient server failures.
pub fn retryable_status(status: u16) -> bool {
  matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct RetryPolicy {
  pub max_retries: u32,
  pub base: Duration,
  pub cap: Duration,
  /// The longest `Retry-After` obeyed; a longer one is cut to this.
  pub retry_after_cap: Duration,
}

impl Default for RetryPolicy {
  fn default() -> Self {
    RetryPolicy {
      max_retries: 3,
      base: Duration::from_millis(500),
      cap: Duration::from_secs(8),
      retry_after_cap: Duration::from_secs(60),
    }
  }
}

impl RetryPolicy {
  pub fn with_max(self, max_retries: Option<u32>) -> RetryPolicy {
    RetryPolicy { max_retries: max_retries.unwrap_or(self.max_retries), ..self }
  }

  /// The wait before retry number `attempt + 1`: the server's `Retry-After` when it gives one,
  /// else `base × 1.5^attempt`, capped, times a jitter in [0.5, 1.5).
  pub fn delay(&self, attempt: u32, retry_after: Option<&str>) -> Duration {
    if let Some(wait) = retry_after.and_then(|v| parse_retry_after(v, SystemTime::now())) {
      return wait.min(self.retry_after_cap);
    }
    let nominal = self.base.mul_f64(1.5f64.powi(attempt as i32)).min(self.cap);
    nominal.mul_f64(0.5 + fastrand::f64())
  }
}

/// `Retry-After` as delta-seconds or an HTTP date.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
  let v = value.trim();
  if let Ok(secs) = v.parse::<f64>() {
    return (secs.is_finite() && secs >= 0.0).then(|| Duration::from_secs_f64(secs.min(86_400.0)));
  }
  let when = httpdate::parse_http_date(v).ok()?;
  Some(when.duration_since(now).unwrap_or(Duration::ZERO))
}

#[cfg(test)]
mod tests {
  use super::*;

  #[test]
  fn retry_after_forms() {
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_470);
    assert_eq!(parse_retry_after("2", now), Some(Duration::from_secs(2)));
    assert_eq!(parse_retry_after("0.5", now), Some(Duration::from_millis(500)));
    assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:00 GMT", now), Some(Duration::from_secs(10)));
    assert_eq!(parse_retry_after("Sat, 21 Oct 2000 07:28:00 GMT", now), Some(Duration::ZERO));
    assert_eq!(parse_retry_after("-1", now), None);
    assert_eq!(parse_retry_after("soon", now), None);
  }

  #[test]
  fn retry_after_is_capped_and_backoff_grows_with_jitter() {
    let p = RetryPolicy::default();
    assert_eq!(p.delay(0, Some("3600")), Duration::from_secs(60));
    for attempt in 0..6 {
      let nominal = (500.0 * 1.5f64.powi(attempt as i32)).min(8000.0);
      let d = p.delay(attempt, None).as_secs_f64() * 1000.0;
      assert!(d >= nominal * 0.5 - 1e-6 && d < nominal * 1.5, "attempt {attempt}: {d}");
    }
  }

  #[test]
  fn which_statuses_retry() {
    for s in [408, 429, 500, 502, 503, 504] {
      assert!(retryable_status(s));
    }
    for s in [400, 401, 404, 409, 422, 501] {
      assert!(!retryable_status(s));
    }
  }
}
