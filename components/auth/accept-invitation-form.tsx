"use client";
import { useState, type FormEvent } from "react";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
import superjson from "superjson";
import type { AppRouter } from "@/server/trpc/root";
import { FieldError, fieldErrorsOf } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";

const client = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "/api/trpc", transformer: superjson })] });

export function AcceptInvitationForm({ token }: { token: string }) {
  const [errors, setErrors] = useState<Record<string, string[]>>({});
  const [message, setMessage] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  const hydrated = useHydrated();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    try {
      await client.members.acceptInvitation.mutate({ token, name: String(form.get("name") ?? ""), password: String(form.get("password") ?? "") });
      setDone(true);
    } catch (error) {
      setErrors(fieldErrorsOf(error));
      setMessage(error instanceof TRPCClientError ? error.message : "Could not accept the invitation");
    }
  }

  if (done) {
    return (
      <p className="notice">
        Your account is ready. <a href="/sign-in">Sign in</a>.
      </p>
    );
  }
  return (
    <form className="stack" method="post" onSubmit={onSubmit} noValidate>
      <label>
        Your name
        <input name="name" />
        <FieldError errors={errors} name="name" />
      </label>
      <label>
        Choose a password
        <input name="password" type="password" autoComplete="new-password" />
        <FieldError errors={errors} name="password" />
      </label>
      {message && !Object.keys(errors).length ? <p className="error">{message}</p> : null}
      <button type="submit" disabled={!hydrated}>
        Create account
      </button>
    </form>
  );
}
