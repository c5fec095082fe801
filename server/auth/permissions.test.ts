import { describe, expect, it } from "vitest";
import { ACTIONS, ROLES, canGrantRole, roleAllows, scopesAllow } from "./permissions";

describe("permission matrix", () => {
  it("gives owners every action and viewers only reads", () => {
    expect(ACTIONS.every((a) => roleAllows("owner", a))).toBe(true);
    expect(ACTIONS.filter((a) => roleAllows("viewer", a)).sort()).toEqual(["agents:read", "audit:read", "constitution:read", "knowledge:read", "routing:read", "tasks:read", "tenant:read", "waivers:read"]);
  });

  it("lets approvers decide waivers but not change policies, and members request but not decide", () => {
    expect(roleAllows("approver", "waivers:approve")).toBe(true);
    expect(roleAllows("approver", "constitution:write")).toBe(false);
    expect(roleAllows("member", "waivers:request")).toBe(true);
    expect(roleAllows("member", "waivers:approve")).toBe(false);
    expect(roleAllows("viewer", "waivers:request")).toBe(false);
  });

  it("lets members submit tasks and report outcomes but not manage agents or routing", () => {
    expect(roleAllows("member", "tasks:write")).toBe(true);
    expect(roleAllows("member", "agents:write")).toBe(false);
    expect(roleAllows("member", "routing:write")).toBe(false);
    expect(roleAllows("viewer", "tasks:write")).toBe(false);
  });

  it("lets owners and operators manage tokens but only owners manage members", () => {
    expect(ROLES.filter((r) => roleAllows(r, "tokens:write"))).toEqual(["owner", "operator"]);
    expect(ROLES.filter((r) => roleAllows(r, "members:write"))).toEqual(["owner"]);
  });

  it("matches token scopes exactly, by area wildcard, or by *", () => {
    expect(scopesAllow(["audit:read"], "audit:read")).toBe(true);
    expect(scopesAllow(["audit:read"], "audit:verify")).toBe(false);
    expect(scopesAllow(["audit:*"], "audit:verify")).toBe(true);
    expect(scopesAllow(["tokens:*"], "audit:read")).toBe(false);
    expect(scopesAllow(["*"], "members:write")).toBe(true);
  });

  it("never lets a role grant a role above itself", () => {
    expect(canGrantRole("operator", "owner")).toBe(false);
    expect(canGrantRole("operator", "operator")).toBe(true);
    expect(canGrantRole("owner", "owner")).toBe(true);
  });
});
