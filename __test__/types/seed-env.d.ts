// Ambient stubs for the names the seed's examples (seed.ts) use but never declare. Where the
// seed means a workos-native thing (the client, the guards), the stub has workos-native's type,
// so those uses are checked too.

type OrganizationDomain = import('workos-native').OrganizationDomain;

/** The client of the seed's first example, used by all the others. */
declare const workos: import('workos-native').WorkOS;
/** The Express app (the Complete Example declares its own). */
declare const app: import('express').Express;
/** The seed's auth middleware factory: workos-native's guard. */
declare const requireAuth: import('workos-native').Guards['requireAuth'];
/** Declared by the "Request-Scoped Middleware" block, used by later blocks: workos-native's guard. */
declare const requireOrganization: import('workos-native').Guards['requireOrganization'];
/** Declared by the "Check User Role" block, used by later blocks: workos-native's guard. */
declare const requireRole: import('workos-native').Guards['requireRole'];
/** The app's database client (Prisma-like). */
declare const db: any;
declare function generateTenantId(): string;

// Free variables of the "Best Practices" fragments (they run inside a route handler).
declare const req: import('express').Request;
declare const res: import('express').Response;
declare const results: unknown[];
declare const name: string;
declare const yourInternalTenantId: string;
declare const event: import('workos-native').CreateAuditLogEventOptions;
