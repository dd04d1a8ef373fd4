//! `workos.organizations` (sdk-8.13-surface.md §4).

use super::model::Model;
use super::{Call, Effect, ListSpec, Operation, Output, Prepared};
use crate::args::{self, nth, Fields};
use crate::errors::Error;
use crate::transport::{path_segment, Method, Request};
use crate::value::{JsObject, JsValue};

const M: &str = "organizations";

pub static OPERATIONS: &[Operation] = &[
  Operation::list(M, "listOrganizations", list_organizations),
  Operation::call(M, "createOrganization", create_organization),
  Operation::call(M, "deleteOrganization", delete_organization),
  Operation::call(M, "getOrganization", get_organization),
  Operation::call(M, "getOrganizationByExternalId", get_organization_by_external_id),
  Operation::call(M, "updateOrganization", update_organization),
  Operation::call(M, "listOrganizationRoles", list_organization_roles),
  Operation::list(M, "listOrganizationFeatureFlags", list_organization_feature_flags),
  Operation::list(M, "listOrganizationApiKeys", list_organization_api_keys),
  Operation::call(M, "createOrganizationApiKey", create_organization_api_key),
];

fn org_path(id: &str) -> Result<String, Error> {
  Ok(format!("/organizations/{}", path_segment("id", id)?))
}

fn list_organizations(a: &[JsValue]) -> Result<Prepared, Error> {
  let o = args::options(nth(a, 0), "options", false)?;
  o.check_pagination()?;
  o.strings("domains")?;
  o.string("search")?;
  // The official SDK sends every key of the options object as given.
  Ok(Prepared::List(ListSpec {
    path: "/organizations".into(),
    entries: o.obj.clone(),
    options: JsValue::Object(o.obj.clone()),
    item: organization,
  }))
}

/// `domainData`: an array of `{ domain, state }`, sent verbatim.
fn domain_data(f: &Fields) -> Result<JsValue, Error> {
  let v = f.raw("domainData");
  match v {
    JsValue::Undefined => Ok(JsValue::Undefined),
    JsValue::Array(items) => {
      for (i, item) in items.iter().enumerate() {
        let entry = args::options(item, "domainData[]", true)
          .map_err(|_| Error::type_error(format!("{}.domainData[{}] must be an object", f.name, i)))?;
        if entry.obj.get("domain").as_str().is_none() {
          return Err(Error::type_error(format!("{}.domainData[{}].domain must be a string", f.name, i)));
        }
      }
      Ok(v.clone())
    }
    other => Err(Error::type_error(format!("{}.domainData must be an array, got {}", f.name, args::type_name(other)))),
  }
}

fn create_organization(a: &[JsValue]) -> Result<Prepared, Error> {
  let p = args::options(nth(a, 0), "payload", true)?;
  let ro = args::request_options(nth(a, 1), "requestOptions")?;
  let body = JsValue::object(vec![
    ("name", JsValue::str(p.required_string("name")?)),
    ("domain_data", domain_data(&p)?),
    ("external_id", p.nullable_string("externalId")?),
    ("metadata", p.nullable_object("metadata")?),
  ]);
  let mut request = Request::new(Method::Post, "/organizations".into()).with_json(&body).with_idempotency_key(ro.idempotency_key);
  request.max_retries = ro.max_retries;
  Ok(Prepared::Call(Call::new(request, Output::Json(organization))))
}

fn delete_organization(a: &[JsValue]) -> Result<Prepared, Error> {
  let id = args::string(nth(a, 0), "id")?;
  let call = Call::new(Request::new(Method::Delete, org_path(id)?), Output::Void);
  Ok(Prepared::Call(call.with_effect(Effect::Organization(id.to_string()))))
}

fn get_organization(a: &[JsValue]) -> Result<Prepared, Error> {
  let id = args::string(nth(a, 0), "id")?;
  Ok(Prepared::Call(Call::new(Request::new(Method::Get, org_path(id)?), Output::Json(organization))))
}

fn get_organization_by_external_id(a: &[JsValue]) -> Result<Prepared, Error> {
  let id = args::string(nth(a, 0), "externalId")?;
  let path = format!("/organizations/external_id/{}", path_segment("externalId", id)?);
  Ok(Prepared::Call(Call::new(Request::new(Method::Get, path), Output::Json(organization))))
}

fn update_organization(a: &[JsValue]) -> Result<Prepared, Error> {
  let p = args::options(nth(a, 0), "options", true)?;
  let id = p.required_string("organization")?;
  let body = JsValue::object(vec![
    ("name", p.string("name")?),
    ("domain_data", domain_data(&p)?),
    ("stripe_customer_id", p.nullable_string("stripeCustomerId")?),
    ("external_id", p.nullable_string("externalId")?),
    ("metadata", p.nullable_object("metadata")?),
  ]);
  let request = Request::new(Method::Put, org_path(&id)?).with_json(&body);
  Ok(Prepared::Call(Call::new(request, Output::Json(organization)).with_effect(Effect::Organization(id))))
}

/// `organizationId` taken out of an options object; the rest is the pagination options.
fn split_organization_id(a: &[JsValue]) -> Result<(String, JsObject), Error> {
  let o = args::options(nth(a, 0), "options", true)?;
  let id = o.required_string("organizationId")?;
  o.check_pagination()?;
  let mut rest = o.obj.clone();
  rest.props.retain(|(k, _)| k != "organizationId");
  Ok((id, rest))
}

fn list_organization_roles(a: &[JsValue]) -> Result<Prepared, Error> {
  let (id, _) = split_organization_id(a)?;
  let path = format!("{}/roles", org_path(&id)?);
  Ok(Prepared::Call(Call::new(Request::new(Method::Get, path), Output::Json(role_list))))
}

fn paginated_under_organization(a: &[JsValue], suffix: &str, item: fn(&JsValue) -> JsValue) -> Result<Prepared, Error> {
  let (id, rest) = split_organization_id(a)?;
  Ok(Prepared::List(ListSpec {
    path: format!("{}/{}", org_path(&id)?, suffix),
    entries: rest.clone(),
    options: JsValue::Object(rest),
    item,
  }))
}

fn list_organization_feature_flags(a: &[JsValue]) -> Result<Prepared, Error> {
  paginated_under_organization(a, "feature-flags", feature_flag)
}

fn list_organization_api_keys(a: &[JsValue]) -> Result<Prepared, Error> {
  paginated_under_organization(a, "api_keys", api_key)
}

fn create_organization_api_key(a: &[JsValue]) -> Result<Prepared, Error> {
  let o = args::options(nth(a, 0), "options", true)?;
  let ro = args::request_options(nth(a, 1), "requestOptions")?;
  let id = o.required_string("organizationId")?;
  let body = JsValue::object(vec![("name", JsValue::str(o.required_string("name")?)), ("permissions", o.strings("permissions")?)]);
  let mut request = Request::new(Method::Post, format!("{}/api_keys", org_path(&id)?))
    .with_json(&body)
    .with_idempotency_key(ro.idempotency_key);
  request.max_retries = ro.max_retries;
  Ok(Prepared::Call(Call::new(request, Output::Json(created_api_key))))
}

// ---- deserializers (§4.3) ----

pub fn organization(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "name"])
    .copy("allowProfilesOutsideOrganization", "allow_profiles_outside_organization")
    .map("domains", "domains", organization_domain)
    .copy_if_defined("stripeCustomerId", "stripe_customer_id")
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .copy_or("externalId", "external_id", JsValue::Null)
    .copy_or("metadata", "metadata", JsValue::object(vec![]))
    .build()
}

pub fn organization_domain(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "domain"])
    .copy("organizationId", "organization_id")
    .same(&["state"])
    .copy_if_defined("verificationToken", "verification_token")
    .copy("verificationStrategy", "verification_strategy")
    .copy_if_defined("verificationPrefix", "verification_prefix")
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .build()
}

pub fn role(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "name", "slug", "description", "permissions"])
    .copy("resourceTypeSlug", "resource_type_slug")
    .same(&["type"])
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .build()
}

/// `listOrganizationRoles` answers a plain `{ object: 'list', data }` (no pagination).
fn role_list(w: &JsValue) -> JsValue {
  let data = match w.get("data") {
    JsValue::Array(items) => items.iter().map(role).collect(),
    _ => Vec::new(),
  };
  JsValue::object(vec![("object", JsValue::str("list")), ("data", JsValue::Array(data))])
}

pub fn feature_flag(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "name", "slug", "description", "tags", "enabled"])
    .copy("defaultValue", "default_value")
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    // The seed document reads `feature.key`.
    .alias("key", "slug")
    .build()
}

pub fn api_key(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "owner", "name"])
    .copy("obfuscatedValue", "obfuscated_value")
    .copy("lastUsedAt", "last_used_at")
    .same(&["permissions"])
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .build()
}

pub fn created_api_key(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "owner", "name"])
    .copy("obfuscatedValue", "obfuscated_value")
    .same(&["value"])
    .copy("lastUsedAt", "last_used_at")
    .same(&["permissions"])
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    // The seed document reads `apiKey.secret`.
    .alias("secret", "value")
    .build()
}

#[cfg(test)]
mod tests {
  use super::*;

  fn wire(json: &str) -> JsValue {
    JsValue::from_json(&serde_json::from_str(json).unwrap())
  }

  fn call(p: Prepared) -> Call {
    match p {
      Prepared::Call(c) => c,
      Prepared::List(_) => panic!("expected a call"),
    }
  }

  #[test]
  fn organization_keys_order_and_defaults() {
    let o = organization(&wire(r#"{"id":"org_1","object":"organization","name":"A","domains":[{"id":"d","domain":"a.com","object":"organization_domain"}],"extra":1}"#));
    let keys: Vec<_> = o.as_object().unwrap().props.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["object", "id", "name", "allowProfilesOutsideOrganization", "domains", "createdAt", "updatedAt", "externalId", "metadata"]);
    assert_eq!(o.get("externalId"), &JsValue::Null);
    let with_stripe = organization(&wire(r#"{"domains":[],"stripe_customer_id":null}"#));
    assert_eq!(with_stripe.get("stripeCustomerId"), &JsValue::Null);
    assert!(with_stripe.as_object().unwrap().has("stripeCustomerId"));
  }

  #[test]
  fn feature_flag_has_hidden_key_alias() {
    let f = feature_flag(&wire(r#"{"slug":"advanced_analytics","enabled":true}"#));
    let o = f.as_object().unwrap();
    assert!(!o.has("key"));
    assert_eq!(o.hidden, vec![("key".into(), JsValue::str("advanced_analytics"))]);
  }

  #[test]
  fn create_body_and_headers() {
    let payload = wire(r#"{"name":"Foo","domainData":[{"domain":"a.com","state":"pending"}],"externalId":null,"unknown":1}"#);
    let ro = wire(r#"{"idempotencyKey":"k1"}"#);
    let c = call(create_organization(&[payload, ro]).unwrap());
    assert_eq!(c.request.body.as_deref(), Some(r#"{"name":"Foo","domain_data":[{"domain":"a.com","state":"pending"}],"external_id":null}"#));
    assert_eq!(c.request.idempotency_key.as_deref(), Some("k1"));
  }

  #[test]
  fn bad_arguments_are_type_errors_naming_them() {
    let e = create_organization(&[wire(r#"{"name":5}"#)]).err().unwrap();
    assert_eq!(e, Error::Type("payload.name must be a string, got number".into()));
    let e = get_organization(&[JsValue::Number(1.0)]).err().unwrap();
    assert_eq!(e, Error::Type("id must be a string, got number".into()));
    let e = list_organizations(&[wire(r#"{"domains":"a.com"}"#)]).err().unwrap();
    assert_eq!(e, Error::Type("options.domains must be an array of strings, got string".into()));
  }

  #[test]
  fn list_queries() {
    let Prepared::List(spec) = list_organizations(&[wire(r#"{"domains":["a.com","b.com"],"after":"start","order":"asc"}"#)]).unwrap() else {
      panic!()
    };
    assert_eq!(spec.first_request().url_path_and_query(), "/organizations?domains=a.com%2Cb.com&after=start&order=asc");
    let Prepared::List(spec) = list_organization_feature_flags(&[wire(r#"{"organizationId":"org/1","limit":5}"#)]).unwrap() else {
      panic!()
    };
    assert_eq!(spec.first_request().url_path_and_query(), "/organizations/org%2F1/feature-flags?limit=5&order=desc");
    assert_eq!(spec.options, wire(r#"{"limit":5}"#));
    assert!(spec.single_page());
  }

  #[test]
  fn later_pages_ask_for_100_after_the_cursor_like_generate_pages() {
    let Prepared::List(spec) = list_organizations(&[wire(r#"{"domains":["a.com"],"after":"start","order":"asc"}"#)]).unwrap() else {
      panic!()
    };
    assert_eq!(spec.page_request(JsValue::str("p3")).url_path_and_query(), "/organizations?domains=a.com&after=p3&order=asc&limit=100");
    let Prepared::List(spec) = list_organizations(&[]).unwrap() else { panic!() };
    assert_eq!(spec.first_request().url_path_and_query(), "/organizations?order=desc");
    assert_eq!(spec.page_request(JsValue::Undefined).url_path_and_query(), "/organizations?limit=100&order=desc");
    assert!(!spec.single_page());
  }

  #[test]
  fn roles_request_has_no_query() {
    let c = call(list_organization_roles(&[wire(r#"{"organizationId":"org_1"}"#)]).unwrap());
    assert_eq!(c.request.url_path_and_query(), "/organizations/org_1/roles");
  }
}
