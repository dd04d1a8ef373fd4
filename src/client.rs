//! A `WorkOS` client: its configuration, resolved as the official constructor resolves it, and
//! the running of prepared calls.

use std::time::Duration;

use crate::args;
use crate::errors::Error;
use crate::guards::Registry;
use crate::session::JwksCache;
use crate::resources::{model, Call, ListSpec, Output};
use crate::transport::{self, Config, Request, RetryPolicy, Transport};
use crate::value::JsValue;

const DEFAULT_HOSTNAME: &str = "api.workos.com";
const MISSING_CREDENTIALS: &str = "WorkOS requires either an API key or a clientId. For server-side: new WorkOS(\"sk_...\") or new WorkOS({ apiKey: \"sk_...\" }). For PKCE/public clients: new WorkOS({ clientId: \"client_...\" })";

/// What the constructor settles on, besides the transport configuration.
#[derive(Debug, Clone, PartialEq)]
pub struct Identity {
  pub api_key: Option<String>,
  /// `workos.clientId`: the option, else `WORKOS_CLIENT_ID`.
  pub client_id: Option<String>,
  /// `userManagement.clientId`: the option only (the official SDK ignores the variable there).
  pub option_client_id: Option<String>,
  pub base_url: String,
}

/// `new WorkOS(keyOrOptions?, maybeOptions?)`. `env` reads the process environment; `runtime`
/// is `node/v20.20.2` for the User-Agent.
pub fn resolve(
  key_or_options: &JsValue,
  maybe_options: &JsValue,
  env: &dyn Fn(&str) -> Option<String>,
  runtime: &str,
) -> Result<(Identity, Config), Error> {
  let (key, options) = match key_or_options {
    JsValue::Object(_) => (key_or_options.get("apiKey").clone(), key_or_options.clone()),
    JsValue::Undefined | JsValue::String(_) => {
      let options = if maybe_options.is_nullish() { JsValue::object(vec![]) } else { maybe_options.clone() };
      (key_or_options.clone(), options)
    }
    other => {
      return Err(Error::type_error(format!("apiKey must be a string or an options object, got {}", args::type_name(other))))
    }
  };
  let o = args::options(&options, "options", true)?;
  let non_empty = |v: &JsValue| v.as_str().filter(|s| !s.is_empty()).map(str::to_string);
  o.string("apiKey")?;
  if !matches!(key, JsValue::Undefined | JsValue::String(_)) {
    return Err(Error::type_error(format!("apiKey must be a string, got {}", args::type_name(&key))));
  }
  let api_key = non_empty(&key).or_else(|| env("WORKOS_API_KEY").filter(|k| !k.is_empty()));
  let option_client_id = non_empty(&o.string("clientId")?);
  let client_id = option_client_id.clone().or_else(|| env("WORKOS_CLIENT_ID").filter(|c| !c.is_empty()));
  if api_key.is_none() && client_id.is_none() {
    return Err(Error::Plain(MISSING_CREDENTIALS.into()));
  }

  let https = match o.boolean("https")? {
    JsValue::Bool(b) => b,
    _ => true,
  };
  let hostname = non_empty(&o.string("apiHostname")?).unwrap_or_else(|| DEFAULT_HOSTNAME.into());
  let mut base_url = format!("{}://{}", if https { "https" } else { "http" }, hostname);
  match o.raw("port") {
    JsValue::Number(p) if *p != 0.0 => base_url.push_str(&format!(":{}", crate::value::number_to_string(*p))),
    JsValue::String(p) if !p.is_empty() => base_url.push_str(&format!(":{}", p)),
    JsValue::Number(_) | JsValue::String(_) | JsValue::Undefined | JsValue::Null => {}
    other => return Err(Error::type_error(format!("options.port must be a number, got {}", args::type_name(other)))),
  }
  reqwest::Url::parse(&base_url).map_err(|_| Error::type_error(format!("options.apiHostname does not make a valid URL: {}", base_url)))?;

  let timeout = match o.number("timeout")? {
    JsValue::Number(ms) if ms > 0.0 => Duration::from_millis(ms as u64),
    JsValue::Number(_) => return Err(Error::type_error("options.timeout must be a positive number of milliseconds")),
    _ => Duration::from_millis(transport::DEFAULT_TIMEOUT_MS),
  };
  let max_retries = args::request_options(&JsValue::object(vec![("maxRetries", o.raw("maxRetries").clone())]), "options")?.max_retries;
  let app = match o.raw("appInfo") {
    JsValue::Undefined | JsValue::Null => None,
    info @ JsValue::Object(_) => Some((info.get("name").to_js_string(), info.get("version").to_js_string())),
    other => return Err(Error::type_error(format!("options.appInfo must be an object, got {}", args::type_name(other)))),
  };
  let user_agent = transport::user_agent(runtime, app.as_ref().map(|(n, v)| (n.as_str(), v.as_str())));
  let headers = config_headers(o.raw("config").get("headers"))?;

  let identity = Identity { api_key: api_key.clone(), client_id, option_client_id, base_url: base_url.clone() };
  let config = Config {
    api_key,
    base_url,
    headers,
    user_agent,
    timeout,
    retry: RetryPolicy::default().with_max(max_retries),
  };
  Ok((identity, config))
}

/// `config.headers` as an object or as `[name, value]` pairs.
fn config_headers(v: &JsValue) -> Result<Vec<(String, String)>, Error> {
  match v {
    JsValue::Undefined | JsValue::Null => Ok(Vec::new()),
    JsValue::Object(o) => Ok(o.props.iter().filter(|(_, v)| !v.is_undefined()).map(|(k, v)| (k.to_string(), v.to_js_string())).collect()),
    JsValue::Array(pairs) => pairs
      .iter()
      .map(|p| match p {
        JsValue::Array(kv) if kv.len() == 2 => Ok((kv[0].to_js_string(), kv[1].to_js_string())),
        _ => Err(Error::type_error("options.config.headers entries must be [name, value] pairs")),
      })
      .collect(),
    other => Err(Error::type_error(format!("options.config.headers must be an object, got {}", args::type_name(other)))),
  }
}

pub struct Client {
  pub transport: Transport,
  pub identity: Identity,
  /// The guard caches made on this client, which its writes keep current.
  pub guards: Registry,
  /// The JWKS that verifies access tokens, fetched on first use.
  pub jwks: JwksCache,
}

impl Client {
  pub fn new(identity: Identity, config: Config) -> Result<Client, Error> {
    Ok(Client { transport: Transport::new(config)?, identity, guards: Registry::default(), jwks: JwksCache::default() })
  }

  pub async fn call(&self, call: Call) -> Result<JsValue, Error> {
    let res = self.transport.send(&call.request).await?;
    let value = match call.output {
      Output::Void => JsValue::Undefined,
      Output::Json(read) => read(&res.json()?),
    };
    self.guards.apply(&call.effect, &value);
    Ok(value)
  }

  /// One page: `{ object, data, listMetadata }` and the cursor of the next page.
  pub async fn page(&self, spec: &ListSpec, request: &Request) -> Result<(JsValue, Option<String>), Error> {
    let res = self.transport.send(request).await?;
    Ok(model::list_page(&res.json()?, spec.item))
  }

  /// One page's wire items, not yet read into models, and the next cursor.
  pub async fn raw_page(&self, request: &Request) -> Result<(Vec<JsValue>, Option<String>), Error> {
    let res = self.transport.send(request).await?;
    Ok(model::raw_page(res.json()?))
  }

  /// The first page of a list, with its `options` member: `{ list, options }`.
  pub async fn first_page(&self, spec: &ListSpec) -> Result<JsValue, Error> {
    let (list, _) = self.page(spec, &spec.first_request()).await?;
    Ok(JsValue::object(vec![("list", list), ("options", spec.options.clone())]))
  }
}

#[cfg(test)]
mod tests {
  use super::*;

  fn env_with(vars: &'static [(&'static str, &'static str)]) -> impl Fn(&str) -> Option<String> {
    move |k| vars.iter().find(|(n, _)| *n == k).map(|(_, v)| v.to_string())
  }

  fn obj(json: &str) -> JsValue {
    JsValue::from_json(&serde_json::from_str(json).unwrap())
  }

  #[test]
  fn constructor_forms() {
    let none = env_with(&[]);
    let (id, cfg) = resolve(&JsValue::str("sk_1"), &JsValue::Undefined, &none, "node/v20").unwrap();
    assert_eq!(id.api_key.as_deref(), Some("sk_1"));
    assert_eq!(cfg.base_url, "https://api.workos.com");
    assert_eq!(cfg.timeout, Duration::from_secs(60));

    let (id, cfg) = resolve(&obj(r#"{"apiKey":"sk_2","apiHostname":"localhost","https":false,"port":4100}"#), &JsValue::Undefined, &none, "node/v20").unwrap();
    assert_eq!(id.api_key.as_deref(), Some("sk_2"));
    assert_eq!(cfg.base_url, "http://localhost:4100");

    let env = env_with(&[("WORKOS_API_KEY", "sk_env"), ("WORKOS_CLIENT_ID", "client_env")]);
    let (id, _) = resolve(&JsValue::Undefined, &JsValue::Undefined, &env, "node/v20").unwrap();
    assert_eq!(id.api_key.as_deref(), Some("sk_env"));
    assert_eq!(id.client_id.as_deref(), Some("client_env"));
    assert_eq!(id.option_client_id, None);
  }

  #[test]
  fn missing_credentials_is_the_official_error() {
    let e = resolve(&JsValue::Undefined, &JsValue::Undefined, &env_with(&[]), "node").unwrap_err();
    assert_eq!(e, Error::Plain(MISSING_CREDENTIALS.into()));
    let (id, _) = resolve(&obj(r#"{"clientId":"client_1"}"#), &JsValue::Undefined, &env_with(&[]), "node").unwrap();
    assert_eq!(id.api_key, None);
  }

  #[test]
  fn user_agent_and_headers() {
    let (_, cfg) = resolve(
      &JsValue::str("sk"),
      &obj(r#"{"appInfo":{"name":"myapp","version":"1.2.3"},"config":{"headers":{"X-Custom":"1"}},"port":0}"#),
      &env_with(&[]),
      "node/v20.20.2",
    )
    .unwrap();
    assert_eq!(cfg.user_agent, format!("workos-native/{} (node/v20.20.2) myapp: 1.2.3", transport::VERSION));
    assert_eq!(cfg.headers, vec![("X-Custom".to_string(), "1".to_string())]);
    assert_eq!(cfg.base_url, "https://api.workos.com");
  }

  #[test]
  fn bad_options_are_type_errors() {
    let none = env_with(&[]);
    assert!(matches!(resolve(&JsValue::Number(1.0), &JsValue::Undefined, &none, "n"), Err(Error::Type(_))));
    assert!(matches!(resolve(&JsValue::str("sk"), &obj(r#"{"timeout":"5"}"#), &none, "n"), Err(Error::Type(_))));
    assert!(matches!(resolve(&JsValue::str("sk"), &obj(r#"{"maxRetries":1.5}"#), &none, "n"), Err(Error::Type(_))));
  }
}
