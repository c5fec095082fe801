// The single permission matrix: which role may perform which action. Procedures declare the action
// they need; API tokens are further limited by their scopes. Pure: no I/O.

export const ROLES = ["owner", "operator", "approver", "member", "viewer"] as const;
export type Role = (typeof ROLES)[number];

/** Higher rank = more authority; used to stop anyone granting more than they hold. */
export const ROLE_RANK: Record<Role, number> = { owner: 4, operator: 3, approver: 2, member: 1, viewer: 0 };

const ALL: readonly Role[] = ROLES;
const MANAGERS: readonly Role[] = ["owner", "operator"];

export const PERMISSIONS = {
  "tenant:read": ALL,
  "audit:read": ALL,
  "audit:verify": MANAGERS,
  "members:read": MANAGERS,
  "members:write": ["owner"],
  "tokens:read": MANAGERS,
  "tokens:write": MANAGERS,
  "agents:read": ALL,
  "agents:write": MANAGERS,
  "tasks:read": ALL,
  "tasks:write": ["owner", "operator", "member"],
  "routing:read": ALL,
  "routing:write": MANAGERS,
  "limits:read": MANAGERS,
  "limits:write": MANAGERS,
  "knowledge:read": ALL,
  "knowledge:write": MANAGERS,
  /** Policies, specs, decisions, budgets: read by all; policies, specs and budgets edited by managers. */
  "constitution:read": ALL,
  "constitution:write": MANAGERS,
  /** Dry runs evaluate without recording anything a task depends on. */
  "constitution:evaluate": ["owner", "operator", "approver", "member"],
  "waivers:read": ALL,
  "waivers:request": ["owner", "operator", "approver", "member"],
  "waivers:approve": ["owner", "operator", "approver"],
} as const satisfies Record<string, readonly Role[]>;

export type Action = keyof typeof PERMISSIONS;
export const ACTIONS = Object.keys(PERMISSIONS) as Action[];

/** Scopes a token may carry: an action, `<area>:*`, or `*` for everything its role allows. */
export const TOKEN_SCOPES = ["*", ...new Set(ACTIONS.map((a) => `${a.split(":")[0]}:*`)), ...ACTIONS] as const;

export function roleAllows(role: Role, action: Action): boolean {
  return (PERMISSIONS[action] as readonly Role[]).includes(role);
}

export function scopesAllow(scopes: readonly string[], action: Action): boolean {
  const area = action.split(":")[0];
  return scopes.some((s) => s === "*" || s === action || s === `${area}:*`);
}

export function canGrantRole(granter: Role, granted: Role): boolean {
  return ROLE_RANK[granter] >= ROLE_RANK[granted];
}
