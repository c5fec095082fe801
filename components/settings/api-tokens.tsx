"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { ROLES, TOKEN_SCOPES } from "@/server/auth/permissions";
import { createTokenSchema } from "@/server/tokens/schemas";

export function ApiTokens() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.tokens.list.queryOptions());
  const hydrated = useHydrated();
  const [created, setCreated] = useState<{
    name: string;
    token: string;
  } | null>(null);
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>(
    {},
  );
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.tokens.list.queryKey() });
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: (r) => {
        setCreated({ name: r.apiToken.name, token: r.token });
        void invalidate();
      },
    }),
  );
  const revoke = useMutation(
    trpc.tokens.revoke.mutationOptions({ onSuccess: () => void invalidate() }),
  );
  const errors = { ...fieldErrorsOf(create.error), ...clientErrors };

  function onCreate(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const days = String(form.get("expiresInDays") ?? "").trim();
    const parsed = createTokenSchema.safeParse({
      name: form.get("name"),
      role: form.get("role"),
      scopes: form.getAll("scopes"),
      expiresInDays: days === "" ? null : Number(days),
    });
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    setCreated(null);
    create.mutate(parsed.data);
  }

  return (
    <>
      <h2>Create a token</h2>
      <form
        className="stack"
        onSubmit={onCreate}
        aria-label="Create API token"
        noValidate
      >
        <label>
          Name
          <input name="name" maxLength={80} aria-describedby="name-error" />
          <FieldError errors={errors} name="name" />
        </label>
        <div className="field">
          <label htmlFor="token-role">Role</label>
          <select id="token-role" name="role" defaultValue="member">
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
          <FieldError errors={errors} name="role" />
        </div>
        <fieldset>
          <legend>Scopes</legend>
          {TOKEN_SCOPES.map((s) => (
            <label
              key={s}
              style={{
                flexDirection: "row",
                alignItems: "center",
                fontWeight: 400,
              }}
            >
              <input
                type="checkbox"
                name="scopes"
                value={s}
                defaultChecked={s === "*"}
              />{" "}
              {s === "*" ? "* (everything the role allows)" : s}
            </label>
          ))}
          <FieldError errors={errors} name="scopes" />
        </fieldset>
        <label>
          Expires in (days, empty = never)
          <input
            name="expiresInDays"
            type="number"
            min={1}
            max={365}
            defaultValue={90}
          />
          <FieldError errors={errors} name="expiresInDays" />
        </label>
        {create.error && !Object.keys(fieldErrorsOf(create.error)).length ? (
          <p className="error">{create.error.message}</p>
        ) : null}
        <button type="submit" disabled={create.isPending || !hydrated}>
          {create.isPending ? "Creating…" : "Create token"}
        </button>
      </form>
      {created ? (
        <div className="notice" role="status" style={{ marginTop: "1rem" }}>
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it is
            shown only once.
          </p>
          <code className="secret" data-testid="new-token">
            {created.token}
          </code>
        </div>
      ) : null}
      <h2>Tokens</h2>
      {tokens.isPending ? (
        <p className="muted">Loading…</p>
      ) : tokens.isError ? (
        <p className="error">{tokens.error.message}</p>
      ) : tokens.data.length === 0 ? (
        <div className="empty">
          No API tokens yet. Create one above for a program to call the API.
        </div>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Prefix</th>
              <th>Role</th>
              <th>Scopes</th>
              <th>Status</th>
              <th>Expires</th>
              <th>Last used</th>
              <th>Created by</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id} data-testid={`token-row-${t.name}`}>
                <td>{t.name}</td>
                <td>
                  <code>{t.prefix}…</code>
                </td>
                <td>{t.role}</td>
                <td>{t.scopes.join(", ")}</td>
                <td>
                  <span
                    className={`badge ${t.status === "active" ? "ok" : "bad"}`}
                  >
                    {t.status}
                  </span>
                </td>
                <td>
                  {t.expiresAt
                    ? t.expiresAt.toISOString().slice(0, 10)
                    : "never"}
                </td>
                <td>
                  {t.lastUsedAt
                    ? t.lastUsedAt.toISOString().replace("T", " ").slice(0, 16)
                    : "never"}
                </td>
                <td>{t.createdBy}</td>
                <td>
                  {t.status === "active" ? (
                    <ConfirmButton
                      question={`Revoke ${t.name}? Programs using it stop working at once.`}
                      disabled={revoke.isPending}
                      onConfirm={() => revoke.mutate({ tokenId: t.id })}
                    >
                      Revoke
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
