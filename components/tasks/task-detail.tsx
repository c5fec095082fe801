"use client";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { dateTime, ms } from "@/components/ui/format";

export function TaskDetail({ taskId }: { taskId: string }) {
  const trpc = useTRPC();
  const task = useQuery(trpc.tasks.get.queryOptions({ taskId }));
  const findings = useQuery({
    ...trpc.tasks.findings.queryOptions({ taskId }),
    // While research is running, look again every second.
    refetchInterval: (q) => (q.state.data?.status === "pending" ? 1000 : false),
  });
  if (task.isPending) return <p className="muted">Loading task…</p>;
  if (task.isError) return <p className="error">{task.error.message}</p>;
  const t = task.data;
  const steps: [string, Date | null][] = [
    ["submitted", t.submittedAt],
    ["routed", t.routedAt],
    ["assigned", t.assignedAt],
    ["running", t.startedAt],
    [t.status === "cancelled" || t.status === "rejected" ? t.status : "completed", t.completedAt],
  ];
  return (
    <>
      <p>
        <Link href="/tasks">← Tasks</Link>
      </p>
      <h1>
        Task {t.id.slice(0, 10)} <span className="badge">{t.status}</span>
      </h1>
      <table>
        <tbody>
          <tr>
            <th style={{ width: 200 }}>Type</th>
            <td>{t.type}</td>
          </tr>
          <tr>
            <th>Requirements</th>
            <td>
              languages: {t.requiredLanguages.join(", ") || "—"}; specializations: {t.requiredSpecializations.join(", ") || "—"}; min proficiency {t.minProficiency}
            </td>
          </tr>
          <tr>
            <th>Constitutional check</th>
            <td data-testid="task-constitution">
              {t.specId ? `spec ${t.specId}; ` : "no spec; "}
              {t.constitutionalDecisionId ? <Link href={`/decisions/${t.constitutionalDecisionId}`}>latest decision</Link> : "not evaluated"}
              {t.status === "awaiting_waiver" ? (
                <>
                  {" "}
                  — waiting for a waiver: <Link href={`/waivers?taskId=${t.id}${t.specId ? `&specId=${encodeURIComponent(t.specId)}` : ""}&request=1`}>request one</Link>
                </>
              ) : null}
            </td>
          </tr>
          <tr>
            <th>Agent</th>
            <td>{t.agentId ? <Link href={`/agents/${t.agentId}`}>{t.agentName ?? t.agentId}</Link> : (t.statusReason ?? "—")}</td>
          </tr>
          <tr>
            <th>Progress</th>
            <td>{t.progress === null ? "—" : `${Math.round(t.progress * 100)}% ${t.progressMessage ?? ""}`}</td>
          </tr>
          <tr>
            <th>Outcome</th>
            <td>
              {t.success === null
                ? "—"
                : `${t.success ? "success" : "failure"}; quality ${t.quality ?? "—"}; latency ${ms(t.latencyMs)}; cost ${t.cost ?? "—"}; tokens ${t.tokens ?? "—"}${t.error ? `; error: ${t.error}` : ""}`}
            </td>
          </tr>
          <tr>
            <th>Payload</th>
            <td>
              <code>{JSON.stringify(t.payload)}</code>
            </td>
          </tr>
          {steps.map(([label, at]) => (
            <tr key={label}>
              <th>{label}</th>
              <td>{dateTime(at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Research findings</h2>
      {!findings.data || findings.data.status === null ? (
        <p className="muted">This task asked for no research.</p>
      ) : findings.data.status === "pending" ? (
        <p className="muted" data-testid="research-status">Researching…</p>
      ) : findings.data.status === "failed" ? (
        <p className="error" data-testid="research-status">Research failed.</p>
      ) : findings.data.findings.length === 0 ? (
        <div className="empty" data-testid="research-status">No provider found anything.</div>
      ) : (
        <table data-testid="task-findings">
          <thead>
            <tr>
              <th>Query</th>
              <th>#</th>
              <th>Finding</th>
              <th>Provider</th>
              <th>Quality</th>
              <th>Retrieved (UTC)</th>
            </tr>
          </thead>
          <tbody>
            {findings.data.findings.map((f) => (
              <tr key={f.id}>
                <td>{f.query}</td>
                <td>{f.rank}</td>
                <td>
                  <strong>{f.title}</strong>
                  <div className="muted">{f.url.startsWith("arbiter://") ? "knowledge base document" : f.url}</div>
                </td>
                <td>{f.provider === "local" ? "local knowledge base" : f.provider}</td>
                <td>{f.quality}</td>
                <td>{dateTime(f.retrievedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Routing decisions</h2>
      {t.decisions.length === 0 ? (
        <div className="empty">Not routed yet.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>When</th>
              <th>Result</th>
              <th>Strategy</th>
              <th>Reason</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {t.decisions.map((d) => (
              <tr key={d.id}>
                <td>{dateTime(d.createdAt)}</td>
                <td>{d.result}</td>
                <td>{d.strategy}</td>
                <td>{d.reason}</td>
                <td>
                  <Link href={`/routing/decisions/${d.id}`}>Decision record</Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
