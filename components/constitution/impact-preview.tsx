"use client";
// Replays the tenant's recent decisions under a policy version: how many verdicts would flip.
import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { dateTime } from "@/components/ui/format";

export function ImpactPreview({ policyVersionId }: { policyVersionId: string }) {
  const trpc = useTRPC();
  const [days, setDays] = useState(7);
  const preview = useQuery(trpc.constitution.impactPreview.queryOptions({ policyVersionId, days }));
  const p = preview.data;
  return (
    <section aria-label="Impact preview" data-testid="impact-preview">
      <h2>Impact preview{p ? ` of v${p.policyVersion}` : ""}</h2>
      <label style={{ maxWidth: 240 }}>
        Replay decisions of the last
        <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
          {[1, 7, 30, 90].map((d) => (
            <option key={d} value={d}>
              {d} day{d === 1 ? "" : "s"}
            </option>
          ))}
        </select>
      </label>
      {preview.isError ? <p className="error">{preview.error.message}</p> : null}
      {!p ? (
        <p className="muted">Replaying…</p>
      ) : (
        <>
          <p data-testid="impact-summary">
            {p.replayed} decision(s) replayed{p.truncated ? " (the most recent 5,000)" : ""}: {p.unchanged} unchanged, {p.replayed - p.unchanged} would flip.
          </p>
          {p.flips.map((f) => (
            <div key={`${f.from}-${f.to}`} className="card" style={{ marginBottom: "0.5rem" }}>
              <strong>
                {f.from} → {f.to}: {f.count}
              </strong>
              <ul className="issues">
                {f.examples.map((x) => (
                  <li key={x.decisionId}>
                    <Link href={`/decisions/${x.decisionId}`}>{dateTime(x.at)}</Link> task {x.taskId?.slice(0, 10)}: {x.reason}
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </>
      )}
    </section>
  );
}
