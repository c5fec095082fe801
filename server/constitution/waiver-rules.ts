// A waiver's state and approval needs, derived at a given time: expiry and lapse are never stored
// facts that a sweep must catch up with, so an expired waiver cannot apply even if nothing ran.
import type { GateName } from "./policy-schema";
import type { Policy, Tier } from "./policy";

export type StoredWaiverStatus = "proposed" | "active" | "rejected" | "revoked";
export type WaiverState = StoredWaiverStatus | "expired" | "lapsed";

export interface WaiverFacts {
  id: string;
  status: StoredWaiverStatus;
  gates: GateName[];
  deltaFiles: number | null;
  deltaLoc: number | null;
  /** null = project-wide */
  specId: string | null;
  /** null = every task type */
  taskType: string | null;
  requestedAt: Date;
  expiresAt: Date;
  /** Distinct approvers who approved. */
  approvals: number;
}

export function waiverState(w: Pick<WaiverFacts, "status" | "expiresAt" | "requestedAt">, now: Date, policy: Policy): WaiverState {
  if (w.status === "active") return w.expiresAt.getTime() <= now.getTime() ? "expired" : "active";
  if (w.status === "proposed") {
    const lapsesAt = w.requestedAt.getTime() + policy.waivers.decisionTimeoutDays * 86_400_000;
    return lapsesAt <= now.getTime() || w.expiresAt.getTime() <= now.getTime() ? "lapsed" : "proposed";
  }
  return w.status;
}

export const raisesBudget = (w: Pick<WaiverFacts, "deltaFiles" | "deltaLoc">) => (w.deltaFiles ?? 0) > 0 || (w.deltaLoc ?? 0) > 0;

/** Budget raises and waivers touching a tier-1 spec need the policy's number of distinct approvers. */
export function requiredApprovals(w: Pick<WaiverFacts, "deltaFiles" | "deltaLoc">, tier: Tier | null, policy: Policy): number {
  return raisesBudget(w) || tier === 1 ? policy.waivers.minApproversForBudgetRaise : 1;
}

/** Active waivers whose expiry is within the policy's warning window. */
export function expiresSoon(w: Pick<WaiverFacts, "status" | "expiresAt" | "requestedAt">, now: Date, policy: Policy): boolean {
  return waiverState(w, now, policy) === "active" && w.expiresAt.getTime() - now.getTime() <= policy.waivers.expiryWarningHours * 3_600_000;
}
