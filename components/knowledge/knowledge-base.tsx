"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { useUrlFilters } from "@/components/ui/use-url-filters";
import { dateTime } from "@/components/ui/format";
import { Highlighted } from "./highlighted";

export function KnowledgeBase() {
  const trpc = useTRPC();
  const hydrated = useHydrated();
  const queryClient = useQueryClient();
  const { params, navigate, field } = useUrlFilters();
  const query = params.get("q") ?? "";
  const me = useQuery(trpc.tenant.me.queryOptions());
  const canWrite = me.data?.permissions.includes("knowledge:write") ?? false;
  const documents = useQuery(trpc.knowledge.list.queryOptions({}));
  const results = useQuery({
    ...trpc.knowledge.search.queryOptions({ query }),
    enabled: query.length > 0,
  });
  const [added, setAdded] = useState<string | null>(null);
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: trpc.knowledge.pathKey() });
  const add = useMutation(
    trpc.knowledge.add.mutationOptions({
      onSuccess: (d) => (setAdded(d.title), void refresh()),
    }),
  );
  const addFromUrl = useMutation(
    trpc.knowledge.addFromUrl.mutationOptions({
      onSuccess: (d) => (setAdded(d.title), void refresh()),
    }),
  );
  const remove = useMutation(
    trpc.knowledge.remove.mutationOptions({ onSuccess: () => void refresh() }),
  );
  const addErrors = fieldErrorsOf(add.error);
  const urlErrors = fieldErrorsOf(addFromUrl.error);

  function onSearch(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    navigate({ q: field(new FormData(e.currentTarget), "q") });
  }

  function onAdd(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setAdded(null);
    add.mutate({
      title: String(f.get("title") ?? ""),
      body: String(f.get("body") ?? ""),
      format: f.get("format") === "markdown" ? "markdown" : "text",
    });
  }

  function onAddUrl(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    setAdded(null);
    addFromUrl.mutate({
      url: String(f.get("url") ?? ""),
      title: field(f, "urlTitle"),
    });
  }

  return (
    <>
      <p className="muted">
        Documents operators add here answer research queries with no network at
        all (Postgres full-text search).
      </p>
      <form
        className="row"
        onSubmit={onSearch}
        aria-label="Search the knowledge base"
      >
        <label style={{ flex: 1 }}>
          Search
          <input
            name="q"
            defaultValue={query}
            placeholder='circuit breaker, "exact phrase", -excluded'
          />
        </label>
        <button type="submit" disabled={!hydrated}>
          Search
        </button>
      </form>
      {query ? (
        <>
          <h2>Results for “{query}”</h2>
          {results.isPending ? (
            <p className="muted">Searching…</p>
          ) : results.isError ? (
            <p className="error">{results.error.message}</p>
          ) : results.data.length === 0 ? (
            <div className="empty">No document matches.</div>
          ) : (
            <ol>
              {results.data.map((hit) => (
                <li
                  key={hit.documentId}
                  data-testid="knowledge-hit"
                  style={{ marginBottom: "0.75rem" }}
                >
                  <strong>{hit.title}</strong>{" "}
                  <span className="badge">local knowledge base</span>{" "}
                  <span className="muted">rank {hit.rank.toFixed(3)}</span>
                  {hit.sourceUrl ? (
                    <div className="muted">
                      <a href={hit.sourceUrl} rel="noreferrer noopener">
                        {hit.sourceUrl}
                      </a>
                    </div>
                  ) : null}
                  <div>
                    <Highlighted text={hit.snippet} />
                  </div>
                </li>
              ))}
            </ol>
          )}
        </>
      ) : null}

      {canWrite ? (
        <>
          <h2>Add a document</h2>
          {added ? <p className="notice">Added “{added}”.</p> : null}
          <form
            className="stack"
            onSubmit={onAdd}
            noValidate
            aria-label="Add document"
            style={{ maxWidth: 640 }}
          >
            <label>
              Title
              <input name="title" maxLength={300} />
              <FieldError errors={addErrors} name="title" />
            </label>
            <label>
              Text
              <textarea name="body" rows={6} />
              <FieldError errors={addErrors} name="body" />
            </label>
            <label>
              Format
              <select name="format" defaultValue="text">
                <option value="text">plain text</option>
                <option value="markdown">markdown</option>
              </select>
            </label>
            <button type="submit" disabled={add.isPending || !hydrated}>
              Add document
            </button>
          </form>
          <form
            className="row"
            onSubmit={onAddUrl}
            noValidate
            aria-label="Add from URL"
            style={{ marginTop: "1rem" }}
          >
            <label style={{ flex: 1 }}>
              Or fetch a page&apos;s text from a URL
              <input name="url" placeholder="https://…" />
              <FieldError errors={urlErrors} name="url" />
            </label>
            <label>
              Title (optional)
              <input name="urlTitle" />
            </label>
            <button type="submit" disabled={addFromUrl.isPending || !hydrated}>
              Fetch and add
            </button>
          </form>
          {addFromUrl.error && !Object.keys(urlErrors).length ? (
            <p className="error">{addFromUrl.error.message}</p>
          ) : null}
        </>
      ) : null}

      <h2>Documents</h2>
      {documents.isPending ? (
        <p className="muted">Loading…</p>
      ) : documents.isError ? (
        <p className="error">{documents.error.message}</p>
      ) : documents.data.items.length === 0 ? (
        <div className="empty">No documents yet.</div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Title</th>
              <th>Size</th>
              <th>Source</th>
              <th>Added (UTC)</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {documents.data.items.map((d) => (
              <tr key={d.id} data-testid={`document-${d.title}`}>
                <td>
                  {d.title}
                  <div className="muted">{d.preview.slice(0, 120)}</div>
                </td>
                <td>{d.characters.toLocaleString()} chars</td>
                <td>{d.sourceUrl ?? "—"}</td>
                <td>{dateTime(d.createdAt)}</td>
                <td>
                  {canWrite ? (
                    <ConfirmButton
                      question={`Remove “${d.title}”?`}
                      onConfirm={() => remove.mutate({ documentId: d.id })}
                    >
                      Remove
                    </ConfirmButton>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
