"use client";
// One waiver: what it permits, who asked and why, its approvals, the tasks waiting on it, the rule
// results that triggered it, and approve/reject with a comment (or revoke, once active).
import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { dateTime } from "@/components/ui/format";
import type { RuleResult } from "@/server/constitution/evaluate";

export function WaiverDetail({ waiverId }: { waiverId: string }) {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.tenant.me.queryOptions());
  const waiver = useQuery(trpc.waivers.get.queryOptions({ waiverId }));
  const [comment, setComment] = useState("");
  const [message, setMessage] = useState<string | null>(null);
  const invalidate = () => {
    void queryClient.invalidateQueries({ queryKey: trpc.waivers.pathKey() });
    void queryClient.invalidateQueries({ queryKey: trpc.tasks.pathKey() });
  };
  const decide = useMutation(
    trpc.waivers.decide.mutationOptions({
      onSuccess: (r) => {
        setComment("");
        setMessage(
          r.status === "active"
            ? `${r.code} is active (${r.approvals} of ${r.requiredApprovals} approvals). ${r.reevaluated?.evaluated ?? 0} waiting task(s) re-evaluated, ${r.reevaluated?.assigned ?? 0} assigned.`
            : r.status === "rejected"
              ? `${r.code} is rejected.`
              : `Approval recorded: ${r.approvals} of ${r.requiredApprovals}.`,
        );
        invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.waivers.revoke.mutationOptions({
      onSuccess: (r) => {
        setMessage(`${r.code} is revoked.`);
        invalidate();
      },
    }),
  );
  if (waiver.isPending) return <p className="muted">Loading waiver…</p>;
  if (waiver.isError) return <p className="error">{waiver.error.message}</p>;
  const w = waiver.data;
  const permissions = new Set(me.data?.permissions ?? []);
  const mine = me.data?.principal.kind === "user" && me.data.principal.email === w.requestedByLabel;
  const mayApprove = permissions.has("waivers:approve") && !mine && !w.approvalsList.some((a) => a.userLabel === me.data?.principal.email);
  const canDecide = mayApprove && w.state === "proposed";
  // An active waiver approved by fewer people than tier-1 tasks need can take another approval.
  const canAddApproval = mayApprove && w.state === "active" && w.approvals < w.approvalsForTier1;
  const errors = fieldErrorsOf(decide.error ?? revoke.error);
  const submit = (decision: "approve" | "reject") => (e: FormEvent) => {
    e.preventDefault();
    setMessage(null);
    decide.mutate({ waiverId, decision, comment });
  };
  const rules = (w.triggeringDecision?.rules ?? []) as unknown as RuleResult[];
  return (
    <>
      <p>
        <Link href="/waivers">← Waivers</Link>
      </p>
      <h1>
        {w.code}: {w.title}{" "}
        <span className="badge" data-testid="waiver-state">
          {w.state}
        </span>
        {w.expiresSoon ? <span className="badge warn"> expires soon</span> : null}
      </h1>
      <table>
        <tbody>
          <tr>
            <th style={{ width: 220 }}>Permits</th>
            <td>
              gates {w.gates.join(", ")}
              {w.deltaFiles ? `; +${w.deltaFiles} files` : ""}
              {w.deltaLoc ? `; +${w.deltaLoc} lines` : ""}
            </td>
          </tr>
          <tr>
            <th>Scope</th>
            <td>
              {w.specId ? `spec ${w.specId}` : "the whole project"}
              {w.taskType ? `, ${w.taskType} tasks only` : ", every task type"}
            </td>
          </tr>
          <tr>
            <th>Requested</th>
            <td>
              by {w.requestedByLabel} at {dateTime(w.requestedAt)} ({w.reasonCode.replaceAll("_", " ")})
            </td>
          </tr>
          <tr>
            <th>Description</th>
            <td>{w.description}</td>
          </tr>
          <tr>
            <th>Mitigation</th>
            <td>{w.mitigation}</td>
          </tr>
          <tr>
            <th>Approvals</th>
            <td data-testid="waiver-approvals">
              {w.approvals} of {w.requiredApprovals} distinct approver(s)
            </td>
          </tr>
          <tr>
            <th>Expires</th>
            <td>{dateTime(w.expiresAt)}</td>
          </tr>
          {w.state === "proposed" ? (
            <tr>
              <th>Lapses if undecided</th>
              <td>{dateTime(w.lapsesAt)}</td>
            </tr>
          ) : null}
          {w.revokeReason ? (
            <tr>
              <th>Revoked</th>
              <td>
                {dateTime(w.revokedAt)}: {w.revokeReason}
              </td>
            </tr>
          ) : null}
        </tbody>
      </table>

      <h2>Decisions on this request</h2>
      {w.approvalsList.length === 0 ? (
        <p className="muted">Nobody has decided yet.</p>
      ) : (
        <ul className="issues" aria-label="Approvals">
          {w.approvalsList.map((a) => (
            <li key={a.id}>
              <strong>{a.decision === "approve" ? "approved" : "rejected"}</strong> by {a.userLabel} at {dateTime(a.createdAt)}: “{a.comment}”
            </li>
          ))}
        </ul>
      )}

      {canDecide ? (
        <form className="card stack" style={{ maxWidth: 560 }} onSubmit={submit("approve")} aria-label="Decide the waiver">
          <label>
            Comment
            <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
            <FieldError errors={errors} name="comment" />
          </label>
          <div style={{ display: "flex", gap: "0.5rem" }}>
            <button type="submit" disabled={!hydrated || decide.isPending}>
              Approve
            </button>
            <button type="button" className="danger" disabled={!hydrated || decide.isPending} onClick={submit("reject")}>
              Reject
            </button>
          </div>
        </form>
      ) : canAddApproval ? (
        <form className="card stack" style={{ maxWidth: 560 }} onSubmit={submit("approve")} aria-label="Add an approval">
          <p className="muted">
            Active with {w.approvals} approval(s); tasks under a tier-1 spec need {w.approvalsForTier1}.
          </p>
          <label>
            Comment
            <textarea name="comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
            <FieldError errors={errors} name="comment" />
          </label>
          <button type="submit" disabled={!hydrated || decide.isPending}>
            Add approval
          </button>
        </form>
      ) : mine && w.state === "proposed" ? (
        <p className="muted">You requested this waiver; someone else must approve it.</p>
      ) : null}
      {w.state === "active" && permissions.has("waivers:approve") ? (
        <form
          className="row"
          onSubmit={(e) => {
            e.preventDefault();
            revoke.mutate({ waiverId, reason: comment || "revoked from the dashboard" });
          }}
        >
          <label>
            Reason to revoke
            <input value={comment} onChange={(e) => setComment(e.target.value)} />
          </label>
          <button type="submit" className="danger" disabled={!hydrated || revoke.isPending}>
            Revoke
          </button>
        </form>
      ) : null}
      {decide.error && !errors.comment ? <p className="error">{decide.error.message}</p> : null}
      {revoke.error ? <p className="error">{revoke.error.message}</p> : null}
      {message ? (
        <p className="notice" role="status">
          {message}
        </p>
      ) : null}

      <h2>Tasks waiting in its scope</h2>
      {w.waitingTasks.length === 0 ? (
        <p className="muted">No task in its scope waits for a waiver.</p>
      ) : (
        <table aria-label="Waiting tasks">
          <tbody>
            {w.waitingTasks.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link href={`/tasks/${t.id}`}>{t.id.slice(0, 10)}</Link> ({t.type})
                </td>
                <td>{t.statusReason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rules.length > 0 ? (
        <>
          <h2>Rule results that triggered the request</h2>
          <ul className="issues">
            {rules
              .filter((r) => r.status === "fail")
              .map((r) => (
                <li key={r.rule}>
                  <code>{r.rule}</code> ({r.gate}): {r.message}
                </li>
              ))}
          </ul>
        </>
      ) : null}
    </>
  );
}
