// WorkOS wire objects (snake_case, as the API sends them) for mock-server lists, and the
// client factories the pagination/transport tests share.

import workosNative from '../../index.js';

const T0 = Date.parse('2024-01-01T00:00:00.000Z');
const iso = (i) => new Date(T0 + i * 1000).toISOString();

/** Zero-padded so that ids sort like their index (`org_00042`). */
export const orgId = (i) => `org_${String(i).padStart(5, '0')}`;

/** Organization `i` (0 = oldest) with one domain, `d<i % domainKinds>.example.com`. */
export function wireOrganization(i, { domainKinds = 3 } = {}) {
  const id = orgId(i);
  return {
    object: 'organization',
    id,
    name: `Org ${i}`,
    allow_profiles_outside_organization: false,
    domains: [
      {
        object: 'organization_domain',
        id: `org_domain_${String(i).padStart(5, '0')}`,
        domain: `d${i % domainKinds}.example.com`,
        organization_id: id,
        state: 'verified',
        verification_strategy: 'dns',
        verification_token: `token_${i}`,
        created_at: iso(i),
        updated_at: iso(i),
      },
    ],
    stripe_customer_id: i % 2 === 0 ? null : `cus_${i}`,
    created_at: iso(i),
    updated_at: iso(i),
    external_id: i % 5 === 0 ? null : `ext_${i}`,
    metadata: { index: String(i) },
  };
}

/** Feature flag `i` (0 = oldest). */
export function wireFeatureFlag(i) {
  return {
    object: 'feature_flag',
    id: `flag_${String(i).padStart(5, '0')}`,
    name: `Flag ${i}`,
    slug: `flag-${i}`,
    description: `Flag number ${i}`,
    tags: ['t'],
    enabled: i % 2 === 0,
    default_value: false,
    created_at: iso(i),
    updated_at: iso(i),
  };
}

export const organizations = (n, opts) => Array.from({ length: n }, (_, i) => wireOrganization(i, opts));

/** workos-native pointed at `mock` over plain HTTP. */
export function nativeClient(mock, opts = {}) {
  return new workosNative.WorkOS(mock.apiKey ?? 'sk_test_default', {
    apiHostname: mock.hostname,
    port: mock.port,
    https: false,
    ...opts,
  });
}

export { workosNative };
