// Who is calling: a signed-in user (browser session) or an API token (programmatic client).
import type { Role } from "./permissions";

export interface UserPrincipal {
  kind: "user";
  userId: string;
  email: string;
  name: string;
  isPlatformAdmin: boolean;
  memberships: { tenantId: string; tenantSlug: string; tenantName: string; role: Role }[];
}

export interface TokenPrincipal {
  kind: "token";
  tokenId: string;
  tokenName: string;
  tenantId: string;
  role: Role;
  scopes: string[];
  createdById: string;
}

export type Principal = UserPrincipal | TokenPrincipal;

export function principalLabel(p: Principal): string {
  return p.kind === "user" ? p.email : `token:${p.tokenName}`;
}

export function auditActorOf(p: Principal) {
  return p.kind === "user"
    ? { type: "user" as const, id: p.userId, label: p.email }
    : { type: "token" as const, id: p.tokenId, label: `token:${p.tokenName}` };
}
