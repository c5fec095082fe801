// Reads the per-field messages the tRPC error formatter attaches (zod issues and domain errors).
export function fieldErrorsOf(error: unknown): Record<string, string[]> {
  const data = (error as { data?: { fieldErrors?: Record<string, string[]> } } | null)?.data;
  return data?.fieldErrors ?? {};
}

export function FieldError({ errors, name }: { errors: Record<string, string[]>; name: string }) {
  const messages = errors[name];
  if (!messages?.length) return null;
  return (
    <span className="field-error" id={`${name}-error`}>
      {messages.join(" ")}
    </span>
  );
}
