//! `workos.userManagement`: users, organization memberships, invitations and the URL helpers
//! (sdk-8.13-surface.md §5).

use super::model::Model;
use super::{Call, Context, Effect, ListSpec, Operation, Output, Prepared};
use crate::args::{self, nth, Fields};
use crate::errors::Error;
use crate::transport::{path_segment, Method, Request};
use crate::value::{JsObject, JsValue};

const M: &str = "userManagement";
const USERS: &str = "/user_management/users";
const MEMBERSHIPS: &str = "/user_management/organization_memberships";
const INVITATIONS: &str = "/user_management/invitations";

pub static OPERATIONS: &[Operation] = &[
  Operation::call(M, "getUser", get_user),
  Operation::list(M, "listUsers", list_users),
  Operation::call(M, "createUser", create_user),
  Operation::call(M, "updateUser", update_user),
  Operation::call(M, "deleteUser", delete_user),
  Operation::call(M, "getOrganizationMembership", get_membership),
  Operation::list(M, "listOrganizationMemberships", list_memberships),
  Operation::call(M, "createOrganizationMembership", create_membership),
  Operation::call(M, "updateOrganizationMembership", update_membership),
  Operation::call(M, "deleteOrganizationMembership", delete_membership),
  Operation::call(M, "deactivateOrganizationMembership", deactivate_membership),
  Operation::call(M, "reactivateOrganizationMembership", reactivate_membership),
  Operation::call(M, "getInvitation", get_invitation),
  Operation::call(M, "findInvitationByToken", find_invitation_by_token),
  Operation::list(M, "listInvitations", list_invitations),
  Operation::call(M, "sendInvitation", send_invitation),
  Operation::call(M, "acceptInvitation", accept_invitation),
  Operation::call(M, "revokeInvitation", revoke_invitation),
  Operation::call(M, "resendInvitation", resend_invitation),
  Operation::sync(M, "getJwksUrl", get_jwks_url),
  Operation::sync(M, "getLogoutUrl", get_logout_url),
];

/// `<base>/<id>[/<suffix>]` with the id percent-encoded.
fn at(base: &str, name: &str, args: &[JsValue], suffix: &str) -> Result<String, Error> {
  let id = args::string(nth(args, 0), name)?;
  Ok(format!("{}/{}{}", base, path_segment(name, id)?, suffix))
}

fn call(request: Request, read: fn(&JsValue) -> JsValue) -> Result<Prepared, Error> {
  Ok(Prepared::Call(Call::new(request, Output::Json(read))))
}

/// A write that returns the membership it changed; the guard caches forget its user.
fn membership_write(request: Request) -> Result<Prepared, Error> {
  Ok(Prepared::Call(Call::new(request, Output::Json(membership)).with_effect(Effect::Membership)))
}

/// A paginated list whose options are serialized to wire names first: the serialized object
/// (every key kept, even `undefined` ones) is both the query and the list's `options`.
fn serialized_list(path: &str, wire: JsObject, item: fn(&JsValue) -> JsValue) -> Result<Prepared, Error> {
  Ok(Prepared::List(ListSpec { path: path.into(), options: JsValue::Object(wire.clone()), entries: wire, item }))
}

fn pagination(f: &Fields, mut wire: JsObject) -> Result<JsObject, Error> {
  f.check_pagination()?;
  for k in ["limit", "before", "after", "order"] {
    wire.set(k, f.raw(k).clone());
  }
  Ok(wire)
}

// ---- users ----

fn get_user(a: &[JsValue]) -> Result<Prepared, Error> {
  call(Request::new(Method::Get, at(USERS, "userId", a, "")?), user)
}

fn list_users(a: &[JsValue]) -> Result<Prepared, Error> {
  if nth(a, 0).is_undefined() {
    // `listUsers()`: no options at all, so the list's `options` is `{}`.
    return Ok(Prepared::List(ListSpec { path: USERS.into(), entries: JsObject::new(), options: JsValue::object(vec![]), item: user }));
  }
  let f = args::options(nth(a, 0), "options", false)?;
  let wire = JsObject::new().push("email", f.string("email")?).push("organization_id", f.string("organizationId")?);
  serialized_list(USERS, pagination(&f, wire)?, user)
}

fn create_user(a: &[JsValue]) -> Result<Prepared, Error> {
  let f = args::options(nth(a, 0), "payload", true)?;
  let body = JsValue::object(vec![
    ("email", JsValue::str(f.required_string("email")?)),
    ("password", f.string("password")?),
    ("password_hash", f.string("passwordHash")?),
    ("password_hash_type", f.string("passwordHashType")?),
    ("first_name", f.string("firstName")?),
    ("last_name", f.string("lastName")?),
    ("email_verified", f.boolean("emailVerified")?),
    ("external_id", f.nullable_string("externalId")?),
    ("metadata", f.nullable_object("metadata")?),
  ]);
  call(Request::new(Method::Post, USERS.into()).with_json(&body), user)
}

fn update_user(a: &[JsValue]) -> Result<Prepared, Error> {
  let f = args::options(nth(a, 0), "payload", true)?;
  let id = f.required_string("userId")?;
  let body = JsValue::object(vec![
    ("email", f.string("email")?),
    ("email_verified", f.boolean("emailVerified")?),
    ("first_name", f.nullable_string("firstName")?),
    ("last_name", f.nullable_string("lastName")?),
    ("password", f.nullable_string("password")?),
    ("password_hash", f.nullable_string("passwordHash")?),
    ("password_hash_type", f.nullable_string("passwordHashType")?),
    ("external_id", f.nullable_string("externalId")?),
    ("locale", f.nullable_string("locale")?),
    ("metadata", f.nullable_object("metadata")?),
  ]);
  let path = format!("{}/{}", USERS, path_segment("userId", &id)?);
  call(Request::new(Method::Put, path).with_json(&body), user)
}

fn delete_user(a: &[JsValue]) -> Result<Prepared, Error> {
  Ok(Prepared::Call(Call::new(Request::new(Method::Delete, at(USERS, "userId", a, "")?), Output::Void)))
}

// ---- organization memberships ----

fn get_membership(a: &[JsValue]) -> Result<Prepared, Error> {
  call(Request::new(Method::Get, at(MEMBERSHIPS, "organizationMembershipId", a, "")?), membership)
}

fn list_memberships(a: &[JsValue]) -> Result<Prepared, Error> {
  let f = args::options(nth(a, 0), "options", false)?;
  let statuses = match f.strings("statuses")? {
    // `statuses?.join(',')`
    JsValue::Array(items) => JsValue::str(items.iter().map(|s| s.to_js_string()).collect::<Vec<_>>().join(",")),
    _ => JsValue::Undefined,
  };
  let wire = JsObject::new()
    .push("user_id", f.string("userId")?)
    .push("organization_id", f.string("organizationId")?)
    .push("statuses", statuses);
  serialized_list(MEMBERSHIPS, pagination(&f, wire)?, membership)
}

/// `roleSlug` and `roleSlugs` (mutually exclusive on the API; both are passed through).
fn role_fields(f: &Fields) -> Result<(JsValue, JsValue), Error> {
  Ok((f.string("roleSlug")?, f.strings("roleSlugs")?))
}

fn create_membership(a: &[JsValue]) -> Result<Prepared, Error> {
  let f = args::options(nth(a, 0), "options", true)?;
  let (role_slug, role_slugs) = role_fields(&f)?;
  let body = JsValue::object(vec![
    ("organization_id", JsValue::str(f.required_string("organizationId")?)),
    ("user_id", JsValue::str(f.required_string("userId")?)),
    ("role_slug", role_slug),
    ("role_slugs", role_slugs),
  ]);
  membership_write(Request::new(Method::Post, MEMBERSHIPS.into()).with_json(&body))
}

fn update_membership(a: &[JsValue]) -> Result<Prepared, Error> {
  let path = at(MEMBERSHIPS, "organizationMembershipId", a, "")?;
  let f = args::options(nth(a, 1), "options", true)?;
  let (role_slug, role_slugs) = role_fields(&f)?;
  let body = JsValue::object(vec![("role_slug", role_slug), ("role_slugs", role_slugs)]);
  membership_write(Request::new(Method::Put, path).with_json(&body))
}

fn delete_membership(a: &[JsValue]) -> Result<Prepared, Error> {
  let path = at(MEMBERSHIPS, "organizationMembershipId", a, "")?;
  let id = args::string(nth(a, 0), "organizationMembershipId")?.to_string();
  Ok(Prepared::Call(Call::new(Request::new(Method::Delete, path), Output::Void).with_effect(Effect::MembershipId(id))))
}

fn deactivate_membership(a: &[JsValue]) -> Result<Prepared, Error> {
  let path = at(MEMBERSHIPS, "organizationMembershipId", a, "/deactivate")?;
  membership_write(Request::new(Method::Put, path).with_json(&JsValue::object(vec![])))
}

fn reactivate_membership(a: &[JsValue]) -> Result<Prepared, Error> {
  let path = at(MEMBERSHIPS, "organizationMembershipId", a, "/reactivate")?;
  membership_write(Request::new(Method::Put, path).with_json(&JsValue::object(vec![])))
}

// ---- invitations ----

fn get_invitation(a: &[JsValue]) -> Result<Prepared, Error> {
  call(Request::new(Method::Get, at(INVITATIONS, "invitationId", a, "")?), invitation)
}

fn find_invitation_by_token(a: &[JsValue]) -> Result<Prepared, Error> {
  call(Request::new(Method::Get, at(&format!("{}/by_token", INVITATIONS), "invitationToken", a, "")?), invitation)
}

fn list_invitations(a: &[JsValue]) -> Result<Prepared, Error> {
  if nth(a, 0).is_undefined() {
    return Ok(Prepared::List(ListSpec { path: INVITATIONS.into(), entries: JsObject::new(), options: JsValue::object(vec![]), item: invitation }));
  }
  let f = args::options(nth(a, 0), "options", false)?;
  let wire = JsObject::new().push("email", f.string("email")?).push("organization_id", f.string("organizationId")?);
  serialized_list(INVITATIONS, pagination(&f, wire)?, invitation)
}

fn send_invitation(a: &[JsValue]) -> Result<Prepared, Error> {
  let f = args::options(nth(a, 0), "payload", true)?;
  let body = JsValue::object(vec![
    ("email", JsValue::str(f.required_string("email")?)),
    ("organization_id", f.string("organizationId")?),
    ("expires_in_days", f.number("expiresInDays")?),
    ("inviter_user_id", f.string("inviterUserId")?),
    ("role_slug", f.string("roleSlug")?),
    ("locale", f.string("locale")?),
  ]);
  call(Request::new(Method::Post, INVITATIONS.into()).with_json(&body), invitation)
}

fn accept_invitation(a: &[JsValue]) -> Result<Prepared, Error> {
  call(Request::new(Method::Post, at(INVITATIONS, "invitationId", a, "/accept")?).with_empty_body(), invitation)
}

fn revoke_invitation(a: &[JsValue]) -> Result<Prepared, Error> {
  call(Request::new(Method::Post, at(INVITATIONS, "invitationId", a, "/revoke")?).with_empty_body(), invitation)
}

fn resend_invitation(a: &[JsValue]) -> Result<Prepared, Error> {
  let path = at(INVITATIONS, "invitationId", a, "/resend")?;
  let body = match nth(a, 1) {
    JsValue::Undefined | JsValue::Null => JsValue::object(vec![]),
    v => {
      let f = args::options(v, "options", true)?;
      JsValue::object(vec![("locale", f.string("locale")?)])
    }
  };
  call(Request::new(Method::Post, path).with_json(&body), invitation)
}

// ---- URL helpers (synchronous) ----

fn get_jwks_url(cx: &Context, a: &[JsValue]) -> Result<JsValue, Error> {
  match nth(a, 0) {
    JsValue::String(id) if !id.is_empty() => Ok(JsValue::str(format!("{}/sso/jwks/{}", cx.base_url, path_segment("clientId", id)?))),
    _ => Err(Error::type_error("clientId must be a valid clientId")),
  }
}

fn get_logout_url(cx: &Context, a: &[JsValue]) -> Result<JsValue, Error> {
  logout_url(cx.base_url, nth(a, 0))
}

/// `<base>/user_management/sessions/logout?session_id=…[&return_to=…]`.
pub fn logout_url(base_url: &str, options: &JsValue) -> Result<JsValue, Error> {
  let f = args::options(options, "options", true)?;
  let session_id = match f.string("sessionId")? {
    JsValue::String(s) if !s.is_empty() => s,
    _ => return Err(Error::type_error("Incomplete arguments. Need to specify 'sessionId'.")),
  };
  let mut url = reqwest::Url::parse(base_url)
    .and_then(|u| u.join("/user_management/sessions/logout"))
    .map_err(|e| Error::Plain(format!("Invalid base URL: {}", e)))?;
  {
    let mut q = url.query_pairs_mut();
    q.append_pair("session_id", &session_id);
    if let JsValue::String(r) = f.string("returnTo")? {
      if !r.is_empty() {
        q.append_pair("return_to", &r);
      }
    }
  }
  Ok(JsValue::str(url.to_string()))
}

// ---- deserializers (§5.3) ----

pub fn user(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "email"])
    .copy("emailVerified", "email_verified")
    .copy("firstName", "first_name")
    .copy("profilePictureUrl", "profile_picture_url")
    .copy("lastName", "last_name")
    .copy("lastSignInAt", "last_sign_in_at")
    .same(&["locale"])
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .copy_or("externalId", "external_id", JsValue::Null)
    .copy_or("metadata", "metadata", JsValue::object(vec![]))
    .build()
}

pub fn membership(w: &JsValue) -> JsValue {
  let role_slug = w.get("role").get("slug").clone();
  let mut m = Model::from(w)
    .same(&["object", "id"])
    .copy("userId", "user_id")
    .copy("organizationId", "organization_id")
    .copy("organizationName", "organization_name")
    .same(&["status"])
    .copy_or("directoryManaged", "directory_managed", JsValue::Bool(false))
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .same(&["role"]);
  if w.get("roles").truthy() {
    m = m.same(&["roles"]);
  }
  m.copy_or("customAttributes", "custom_attributes", JsValue::object(vec![]))
    // The seed document reads `membership.roleSlug`.
    .alias_value("roleSlug", role_slug)
    .build()
}

pub fn invitation(w: &JsValue) -> JsValue {
  Model::from(w)
    .same(&["object", "id", "email", "state"])
    .copy("acceptedAt", "accepted_at")
    .copy("revokedAt", "revoked_at")
    .copy("expiresAt", "expires_at")
    .copy("organizationId", "organization_id")
    .copy("inviterUserId", "inviter_user_id")
    .copy("acceptedUserId", "accepted_user_id")
    .same(&["token"])
    .copy("acceptInvitationUrl", "accept_invitation_url")
    .copy("createdAt", "created_at")
    .copy("updatedAt", "updated_at")
    .build()
}

#[cfg(test)]
mod tests {
  use super::*;

  fn wire(json: &str) -> JsValue {
    JsValue::from_json(&serde_json::from_str(json).unwrap())
  }

  fn request(p: Prepared) -> Request {
    match p {
      Prepared::Call(c) => c.request,
      Prepared::List(s) => s.first_request(),
    }
  }

  #[test]
  fn list_queries_use_wire_names_and_keep_options() {
    let r = request(list_users(&[wire(r#"{"organizationId":"org_1","email":"a b+c@x.com","order":"asc","after":""}"#)]).unwrap());
    assert_eq!(r.url_path_and_query(), "/user_management/users?email=a+b%2Bc%40x.com&organization_id=org_1&order=asc");
    assert_eq!(request(list_users(&[]).unwrap()).url_path_and_query(), "/user_management/users?order=desc");
    let Prepared::List(spec) = list_memberships(&[wire(r#"{"userId":"u","statuses":["active","inactive"]}"#)]).unwrap() else { panic!() };
    assert_eq!(spec.first_request().url_path_and_query(), "/user_management/organization_memberships?user_id=u&statuses=active%2Cinactive&order=desc");
    let keys: Vec<_> = spec.options.as_object().unwrap().props.iter().map(|(k, _)| k.clone()).collect();
    assert_eq!(keys, ["user_id", "organization_id", "statuses", "limit", "before", "after", "order"]);
  }

  #[test]
  fn bodies() {
    let r = request(accept_invitation(&[JsValue::str("inv_1")]).unwrap());
    assert_eq!((r.method, r.body.as_deref()), (Method::Post, Some("")));
    let r = request(deactivate_membership(&[JsValue::str("om_1")]).unwrap());
    assert_eq!((r.path.as_str(), r.body.as_deref()), ("/user_management/organization_memberships/om_1/deactivate", Some("{}")));
    let r = request(resend_invitation(&[JsValue::str("inv_1")]).unwrap());
    assert_eq!(r.body.as_deref(), Some("{}"));
    let r = request(resend_invitation(&[JsValue::str("inv_1"), wire(r#"{"locale":"fr"}"#)]).unwrap());
    assert_eq!(r.body.as_deref(), Some(r#"{"locale":"fr"}"#));
    let r = request(create_membership(&[wire(r#"{"userId":"u","organizationId":"o","roleSlug":"owner"}"#)]).unwrap());
    assert_eq!(r.body.as_deref(), Some(r#"{"organization_id":"o","user_id":"u","role_slug":"owner"}"#));
    let r = request(send_invitation(&[wire(r#"{"email":"e@x.com","organizationId":"o","expiresInDays":7,"roleSlug":"admin"}"#)]).unwrap());
    assert_eq!(r.body.as_deref(), Some(r#"{"email":"e@x.com","organization_id":"o","expires_in_days":7,"role_slug":"admin"}"#));
  }

  #[test]
  fn membership_shape_and_role_slug_alias() {
    let m = membership(&wire(r#"{"object":"organization_membership","id":"om_1","user_id":"u","organization_id":"o","status":"active","role":{"slug":"admin"}}"#));
    let o = m.as_object().unwrap();
    let keys: Vec<_> = o.props.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["object", "id", "userId", "organizationId", "organizationName", "status", "directoryManaged", "createdAt", "updatedAt", "role", "customAttributes"]);
    assert_eq!(o.hidden, vec![("roleSlug".into(), JsValue::str("admin"))]);
    let with_roles = membership(&wire(r#"{"role":{"slug":"a"},"roles":[{"slug":"a"}]}"#));
    assert!(with_roles.as_object().unwrap().has("roles"));
  }

  #[test]
  fn url_helpers() {
    let cx = Context { base_url: "https://api.workos.com" };
    assert_eq!(get_jwks_url(&cx, &[JsValue::str("client_1")]).unwrap(), JsValue::str("https://api.workos.com/sso/jwks/client_1"));
    assert_eq!(get_jwks_url(&cx, &[]).unwrap_err(), Error::Type("clientId must be a valid clientId".into()));
    let url = get_logout_url(&cx, &[wire(r#"{"sessionId":"sess 1","returnTo":"https://app/x?y=1&z=2"}"#)]).unwrap();
    assert_eq!(
      url,
      JsValue::str("https://api.workos.com/user_management/sessions/logout?session_id=sess+1&return_to=https%3A%2F%2Fapp%2Fx%3Fy%3D1%26z%3D2")
    );
    assert!(get_logout_url(&cx, &[wire("{}")]).is_err());
  }

  #[test]
  fn type_errors_name_arguments() {
    assert_eq!(create_user(&[wire("{}")]).err().unwrap(), Error::Type("payload.email must be a string, got undefined".into()));
    assert_eq!(list_memberships(&[wire(r#"{"statuses":"active"}"#)]).err().unwrap(), Error::Type("options.statuses must be an array of strings, got string".into()));
    assert_eq!(update_membership(&[JsValue::str("om"), JsValue::Number(1.0)]).err().unwrap(), Error::Type("options must be an object, got number".into()));
  }
}
