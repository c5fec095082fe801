"use client";
import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useTRPC } from "@/components/trpc/client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { fieldErrorsOf } from "@/components/ui/field-errors";
import { LoadBar } from "@/components/ui/load-bar";
import { ago, dateTime, ms, percent } from "@/components/ui/format";
import { DailyPerformanceChart } from "@/components/charts/daily-performance";
import { AgentForm } from "./agent-form";

export function AgentDetail({ agentId }: { agentId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.agents.get.queryOptions({ agentId }));
  const me = useQuery(trpc.tenant.me.queryOptions());
  const canWrite = me.data?.permissions.includes("agents:write") ?? false;
  const [editing, setEditing] = useState(false);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.agents.pathKey() });
  const update = useMutation(
    trpc.agents.update.mutationOptions({
      onSuccess: () => {
        setEditing(false);
        void refresh();
      },
    }),
  );
  const unregister = useMutation(
    trpc.agents.unregister.mutationOptions({
      onSuccess: () => {
        void refresh();
        router.push("/agents");
      },
    }),
  );

  if (detail.isPending) return <p className="muted">Loading agent…</p>;
  if (detail.isError) return <p className="error">{detail.error.message}</p>;
  const { agent, performance, recentTasks, daily } = detail.data;

  return (
    <>
      <p>
        <Link href="/agents">← Agents</Link>
      </p>
      <h1>{agent.name}</h1>
      <div className="cards">
        <div className="card">
          <div className="label">Status</div>
          <div className="figure" style={{ fontSize: "1.3rem" }}>
            {agent.unregisteredAt ? "unregistered" : agent.status}
          </div>
        </div>
        <div className="card">
          <div className="label">Load</div>
          <LoadBar active={agent.activeTasks} max={agent.maxConcurrentTasks} />
        </div>
        <div className="card">
          <div className="label">Model family</div>
          <div>{agent.modelFamily}</div>
        </div>
        <div className="card">
          <div className="label">Last seen</div>
          <div title={agent.lastSeenAt.toISOString()}>
            {ago(agent.lastSeenAt)}
          </div>
        </div>
      </div>

      <h2>Capabilities</h2>
      <table>
        <tbody>
          {(["taskTypes", "languages", "specializations"] as const).map(
            (kind) => (
              <tr key={kind}>
                <th style={{ width: 160 }}>
                  {kind === "taskTypes"
                    ? "Task types"
                    : kind === "languages"
                      ? "Languages"
                      : "Specializations"}
                </th>
                <td>
                  {agent.capabilities[kind].length === 0
                    ? "—"
                    : agent.capabilities[kind]
                        .map(
                          (c) =>
                            `${c.name}${c.proficiency === null ? "" : ` (${c.proficiency})`}`,
                        )
                        .join(", ")}
                </td>
              </tr>
            ),
          )}
          <tr>
            <th>Tags</th>
            <td>{agent.tags.join(", ") || "—"}</td>
          </tr>
        </tbody>
      </table>

      <h2>Performance per task type</h2>
      {performance.length === 0 ? (
        <div className="empty">No outcomes reported yet.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Task type</th>
              <th>Tasks</th>
              <th>Success</th>
              <th>Avg quality</th>
              <th>Latency P50</th>
              <th>Latency P95</th>
            </tr>
          </thead>
          <tbody>
            {performance.map((p) => (
              <tr key={p.taskType} data-testid={`performance-${p.taskType}`}>
                <td>{p.taskType}</td>
                <td>{p.tasks}</td>
                <td>{percent(p.successRate)}</td>
                <td>{p.avgQuality === null ? "—" : p.avgQuality.toFixed(2)}</td>
                <td>{ms(p.latencyP50Ms)}</td>
                <td>{ms(p.latencyP95Ms)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Success rate over time (last 30 days)</h2>
      {daily.length === 0 ? (
        <div className="empty">No completed tasks in the last 30 days.</div>
      ) : (
        <div className="card">
          <DailyPerformanceChart rows={daily} />
        </div>
      )}

      <h2>Recent tasks</h2>
      {recentTasks.length === 0 ? (
        <div className="empty">No tasks assigned yet.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Task</th>
              <th>Type</th>
              <th>Status</th>
              <th>Quality</th>
              <th>Latency</th>
              <th>Assigned</th>
            </tr>
          </thead>
          <tbody>
            {recentTasks.map((t) => (
              <tr key={t.id}>
                <td>
                  <Link href={`/tasks/${t.id}`}>{t.id.slice(0, 10)}</Link>
                </td>
                <td>{t.type}</td>
                <td>{t.status}</td>
                <td>{t.quality ?? "—"}</td>
                <td>{ms(t.latencyMs)}</td>
                <td>{dateTime(t.assignedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {canWrite && !agent.unregisteredAt ? (
        <>
          <h2>Manage</h2>
          <div className="row" style={{ display: "flex", gap: "0.75rem" }}>
            <button
              type="button"
              className="secondary"
              onClick={() => setEditing((e) => !e)}
            >
              {editing ? "Cancel edit" : "Edit agent"}
            </button>
            <ConfirmButton
              question={`Unregister ${agent.name}? It takes no new work; its history is kept.`}
              onConfirm={() => unregister.mutate({ agentId })}
            >
              Unregister
            </ConfirmButton>
          </div>
          {editing ? (
            <div className="card" style={{ marginTop: "0.75rem" }}>
              <AgentForm
                initial={agent}
                submitLabel="Save changes"
                pending={update.isPending}
                serverErrors={fieldErrorsOf(update.error)}
                serverMessage={update.error?.message ?? null}
                onSubmit={(values) => update.mutate({ agentId, ...values })}
              />
            </div>
          ) : null}
        </>
      ) : null}
    </>
  );
}
