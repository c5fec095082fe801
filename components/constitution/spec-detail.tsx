"use client";
import { useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { dateTime } from "@/components/ui/format";
import { YamlIssues } from "./yaml-issues";
import { DiffView } from "./diff-view";

export function SpecDetail({ specId }: { specId: string }) {
  const trpc = useTRPC();
  const spec = useQuery(trpc.constitution.spec.queryOptions({ specId }));
  const [compare, setCompare] = useState<{ from: number; to: number } | null>(null);
  const diff = useQuery({ ...trpc.constitution.specDiff.queryOptions({ specId, from: compare?.from ?? 1, to: compare?.to ?? 1 }), enabled: !!compare });
  if (spec.isPending) return <p className="muted">Loading spec…</p>;
  if (spec.isError) return <p className="error">{spec.error.message}</p>;
  const s = spec.data;
  return (
    <>
      <p>
        <Link href="/constitution/specs">← Specs</Link>
      </p>
      <h1>
        {s.specId}: {s.current.title}
      </h1>
      <p>
        Risk tier {s.current.riskTier}, {s.current.format} format, version {s.current.version}
      </p>
      <YamlIssues errors={[]} warnings={s.current.warnings} />
      <h2>Versions</h2>
      <table aria-label="Spec versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Hash</th>
            <th>Saved</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {s.versions.map((v) => (
            <tr key={v.id}>
              <td>v{v.version}</td>
              <td>
                <code>{v.contentHash.slice(0, 12)}</code>
              </td>
              <td>
                {dateTime(v.createdAt)} by {v.createdByLabel}
              </td>
              <td>
                {v.version > 1 ? (
                  <button type="button" className="secondary" onClick={() => setCompare({ from: v.version - 1, to: v.version })}>
                    Diff vs v{v.version - 1}
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {compare && diff.data ? <DiffView {...diff.data} /> : null}
      <h2>Current content</h2>
      <pre className="diff" style={{ padding: "0.5rem" }}>
        {s.current.content}
      </pre>
    </>
  );
}
