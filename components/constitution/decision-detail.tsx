"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { dateTime, ms } from "@/components/ui/format";
import type { EffectiveLimit, RuleResult } from "@/server/constitution/evaluate";
import { EvaluationView } from "./evaluation-view";

export function DecisionDetail({ decisionId }: { decisionId: string }) {
  const trpc = useTRPC();
  const decision = useQuery(trpc.constitution.decision.queryOptions({ id: decisionId }));
  if (decision.isPending) return <p className="muted">Loading decision…</p>;
  if (decision.isError) return <p className="error">{decision.error.message}</p>;
  const d = decision.data;
  const evaluation = {
    verdict: d.verdict,
    tier: d.tier,
    rules: d.rules as unknown as RuleResult[],
    waiversApplied: d.waiversApplied as unknown as { id: string; gates: string[]; raisedFiles: number; raisedLoc: number }[],
    waiversSkipped: d.waiversSkipped as unknown as { id: string; reason: string }[],
    effectiveBudget: d.effectiveBudget as unknown as { maxFiles: EffectiveLimit; maxLoc: EffectiveLimit } | null,
  };
  const inputs = d.inputs as { change?: unknown; budgets?: unknown[] };
  return (
    <>
      <p>
        <Link href="/decisions">← Decisions</Link>
      </p>
      <h1>Constitutional decision</h1>
      <table>
        <tbody>
          <tr>
            <th style={{ width: 220 }}>Task</th>
            <td>
              {d.task ? (
                <>
                  <Link href={`/tasks/${d.task.id}`}>{d.task.id}</Link> ({d.taskType}) — now <span data-testid="decision-task-status">{d.task.status}</span>
                  {d.task.constitutionalDecisionId !== d.id ? <span className="muted"> (a later decision superseded this one)</span> : null}
                </>
              ) : (
                d.taskType
              )}
            </td>
          </tr>
          <tr>
            <th>Spec</th>
            <td>{d.specId ? `${d.specId}${d.specVersion ? ` v${d.specVersion}` : " (not on file)"}` : "none named"}</td>
          </tr>
          <tr>
            <th>Policy</th>
            <td>{d.policyVersion ? `version ${d.policyVersion}` : "built-in defaults"}</td>
          </tr>
          <tr>
            <th>Trigger</th>
            <td>{d.trigger.replace("_", " ")}</td>
          </tr>
          <tr>
            <th>Evaluated</th>
            <td>
              {dateTime(d.createdAt)} in {ms(d.evaluationMs)}
            </td>
          </tr>
        </tbody>
      </table>
      <h2>Result</h2>
      <EvaluationView e={evaluation} />
      <h2>Inputs as evaluated</h2>
      <pre className="diff" style={{ padding: "0.5rem" }}>
        {JSON.stringify({ change: inputs.change ?? null, budgets: inputs.budgets ?? [] }, null, 2)}
      </pre>
    </>
  );
}
