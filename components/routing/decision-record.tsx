"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { dateTime, ms } from "@/components/ui/format";

interface ExclusionRecord {
  agentId: string;
  name: string;
  kind: string;
  reason: string;
}

export function DecisionRecord({ decisionId }: { decisionId: string }) {
  const trpc = useTRPC();
  const decision = useQuery(trpc.routing.decision.queryOptions({ decisionId }));
  if (decision.isPending) return <p className="muted">Loading decision…</p>;
  if (decision.isError) return <p className="error">{decision.error.message}</p>;
  const d = decision.data;
  const candidates = [...d.candidates].sort((a, b) => b.score - a.score);
  const excluded = d.excluded as unknown as ExclusionRecord[];
  const policy = d.policy as Record<string, unknown>;
  return (
    <>
      <p>
        <Link href="/routing">← Routing</Link>
      </p>
      <h1>Decision record</h1>
      <table>
        <tbody>
          <tr>
            <th style={{ width: 220 }}>Task</th>
            <td>
              <Link href={`/tasks/${d.taskId}`}>{d.taskId}</Link> ({d.taskType}){d.task ? ` — now ${d.task.status}` : ""}
            </td>
          </tr>
          <tr>
            <th>Result</th>
            <td data-testid="decision-result">{d.result}</td>
          </tr>
          <tr>
            <th>Chosen agent</th>
            <td data-testid="decision-agent">{d.chosenAgentId ? <Link href={`/agents/${d.chosenAgentId}`}>{d.chosenAgentName ?? d.chosenAgentId}</Link> : "—"}</td>
          </tr>
          <tr>
            <th>Reason</th>
            <td>{d.reason}</td>
          </tr>
          <tr>
            <th>Strategy</th>
            <td>{d.strategy}</td>
          </tr>
          <tr>
            <th>Explored</th>
            <td>{d.explored ? "yes (not the greedy choice)" : "no (greedy choice)"}</td>
          </tr>
          <tr>
            <th>Selection probability</th>
            <td>{d.selectionProbability === null ? "not defined in closed form for this strategy" : d.selectionProbability.toFixed(4)}</td>
          </tr>
          <tr>
            <th>Decision time</th>
            <td>{ms(d.decisionMs)}</td>
          </tr>
          <tr>
            <th>Decided at (UTC)</th>
            <td>{dateTime(d.createdAt)}</td>
          </tr>
          <tr>
            <th>Outcome</th>
            <td data-testid="decision-outcome">
              {d.task?.success === null || d.task?.success === undefined
                ? "no outcome yet"
                : `${d.task.success ? "success" : "failure"}, quality ${d.task.quality ?? "—"}, latency ${ms(d.task.latencyMs)}`}
            </td>
          </tr>
          <tr>
            <th>Evidence decay</th>
            <td>half-life {String(policy.decayHalfLifeHours)} h (older outcomes weigh less)</td>
          </tr>
          <tr>
            <th>Agents not taking {d.taskType}</th>
            <td>{d.notCapableCount}</td>
          </tr>
        </tbody>
      </table>
      <h2>Candidates ({candidates.length})</h2>
      {candidates.length === 0 ? (
        <div className="empty">No candidate could take this task.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Agent</th>
              <th>Score</th>
              <th>Mean reward</th>
              <th>Exploration bonus</th>
              <th>Load penalty</th>
              <th>Capability match</th>
              <th>Evidence (pulls)</th>
              <th>Evidence weight after decay</th>
            </tr>
          </thead>
          <tbody>
            {candidates.map((c) => (
              <tr key={c.agentId} data-testid={`candidate-${c.name}`} style={c.agentId === d.chosenAgentId ? { fontWeight: 600 } : undefined}>
                <td>
                  {c.name}
                  {c.agentId === d.chosenAgentId ? " ✓" : ""}
                </td>
                <td>{c.score.toFixed(3)}</td>
                <td>{c.mean.toFixed(3)}</td>
                <td>{c.bonus.toFixed(3)}</td>
                <td>{c.loadPenalty.toFixed(3)}</td>
                <td>{c.match.toFixed(2)}</td>
                <td>{c.pulls.toFixed(1)}</td>
                <td>{c.evidenceWeight === undefined ? "—" : c.evidenceWeight.toFixed(3)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Excluded ({excluded.length})</h2>
      {excluded.length === 0 ? (
        <p className="muted">No capable agent was excluded.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Agent</th>
              <th>Why</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {excluded.map((e) => (
              <tr key={e.agentId}>
                <td>{e.name}</td>
                <td>{e.kind}</td>
                <td>{e.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Policy in force</h2>
      <pre className="secret">{JSON.stringify(policy, null, 2)}</pre>
    </>
  );
}
