"use client";
import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/components/trpc/client";
import { ConfirmButton } from "@/components/ui/confirm-button";
import { useHydrated } from "@/components/ui/use-hydrated";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { ROLES, type Role } from "@/server/auth/permissions";

export function Members() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.tenant.me.queryOptions());
  const members = useQuery(trpc.members.list.queryOptions());
  const hydrated = useHydrated();
  const canWrite = me.data?.permissions.includes("members:write") ?? false;
  const [inviteLink, setInviteLink] = useState<string | null>(null);
  const invalidate = () =>
    queryClient.invalidateQueries({ queryKey: trpc.members.list.queryKey() });
  const invite = useMutation(
    trpc.members.invite.mutationOptions({
      onSuccess: (r) => {
        setInviteLink(
          r.inviteToken
            ? `${window.location.origin}/invite/${r.inviteToken}`
            : null,
        );
        void invalidate();
      },
    }),
  );
  const changeRole = useMutation(
    trpc.members.changeRole.mutationOptions({
      onSettled: () => void invalidate(),
    }),
  );
  const remove = useMutation(
    trpc.members.remove.mutationOptions({ onSuccess: () => void invalidate() }),
  );
  const revokeInvite = useMutation(
    trpc.members.revokeInvitation.mutationOptions({
      onSuccess: () => void invalidate(),
    }),
  );
  const errors = fieldErrorsOf(invite.error);
  const actionError = changeRole.error ?? remove.error;

  function onInvite(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setInviteLink(null);
    invite.mutate({
      email: String(form.get("email") ?? ""),
      role: String(form.get("role")) as Role,
    });
  }

  return (
    <>
      {canWrite ? (
        <>
          <h2>Invite</h2>
          <form
            className="row"
            onSubmit={onInvite}
            aria-label="Invite member"
            noValidate
          >
            <label>
              Email
              <input name="email" type="email" aria-describedby="email-error" />
              <FieldError errors={errors} name="email" />
            </label>
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select id="invite-role" name="role" defaultValue="member">
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </div>
            <button type="submit" disabled={invite.isPending || !hydrated}>
              Invite
            </button>
          </form>
          {invite.error && !Object.keys(errors).length ? (
            <p className="error">{invite.error.message}</p>
          ) : null}
          {invite.isSuccess && !inviteLink ? (
            <p className="notice">Existing user added to this tenant.</p>
          ) : null}
          {inviteLink ? (
            <div className="notice" role="status">
              <p>
                No account exists for this email yet. Send them this one-time
                link (valid 7 days):
              </p>
              <code className="secret" data-testid="invite-link">
                {inviteLink}
              </code>
            </div>
          ) : null}
        </>
      ) : null}
      {actionError ? <p className="error">{actionError.message}</p> : null}
      <h2>Members</h2>
      {members.isPending ? (
        <p className="muted">Loading…</p>
      ) : members.isError ? (
        <p className="error">{members.error.message}</p>
      ) : (
        <>
          <table>
            <thead>
              <tr>
                <th>Name</th>
                <th>Email</th>
                <th>Role</th>
                <th>Since</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {members.data.members.map((m) => (
                <tr key={m.id} data-testid={`member-row-${m.email}`}>
                  <td>{m.name}</td>
                  <td>{m.email}</td>
                  <td>
                    {canWrite ? (
                      <select
                        aria-label={`Role of ${m.email}`}
                        value={m.role}
                        onChange={(e) =>
                          changeRole.mutate({
                            membershipId: m.id,
                            role: e.target.value as Role,
                          })
                        }
                      >
                        {ROLES.map((r) => (
                          <option key={r}>{r}</option>
                        ))}
                      </select>
                    ) : (
                      m.role
                    )}
                  </td>
                  <td>{m.since.toISOString().slice(0, 10)}</td>
                  <td>
                    {canWrite ? (
                      <ConfirmButton
                        question={`Remove ${m.email} from this tenant?`}
                        onConfirm={() => remove.mutate({ membershipId: m.id })}
                      >
                        Remove
                      </ConfirmButton>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {members.data.invitations.length > 0 ? (
            <>
              <h2>Pending invitations</h2>
              <table>
                <thead>
                  <tr>
                    <th>Email</th>
                    <th>Role</th>
                    <th>Expires</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {members.data.invitations.map((i) => (
                    <tr key={i.id}>
                      <td>{i.email}</td>
                      <td>{i.role}</td>
                      <td>{i.expiresAt.toISOString().slice(0, 10)}</td>
                      <td>
                        {canWrite ? (
                          <button
                            type="button"
                            className="secondary"
                            onClick={() =>
                              revokeInvite.mutate({ invitationId: i.id })
                            }
                          >
                            Revoke
                          </button>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          ) : null}
        </>
      )}
    </>
  );
}
