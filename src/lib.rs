//! workos-native: a native core for the WorkOS Node SDK's organization management.
//!
//! Everything but `binding` is plain Rust (no napi), tested with `cargo test`:
//! `value` (JS values as the core sees them), `args` (argument checks), `errors` (exception
//! mapping), `transport` (HTTP, retries), `resources` (endpoints and models), `client`,
//! `pagination`. `binding` is the only module that knows napi.

pub mod args;
pub mod client;
pub mod errors;
pub mod guards;
pub mod pagination;
pub mod resources;
pub mod session;
pub mod transport;
pub mod value;

#[cfg_attr(test, allow(dead_code))]
mod binding;
#[cfg(test)]
mod test_server;
#[cfg(test)]
mod fuzz_tests;

/// mimalloc instead of the system allocator: a page of a list allocates and frees thousands of
/// small strings and vectors on tokio's threads, where glibc's malloc cost a fifth of the
/// client's CPU (measured with perf on the pagination benchmark).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
