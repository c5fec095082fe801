"use client";
// Register or edit an agent. Validates with the same zod schema as the server and shows each
// field's messages, whether they come from the browser-side check or from the server.
import { useState, type FormEvent } from "react";
import { fieldErrorsFromIssues } from "@/server/validation";
import { FieldError } from "@/components/ui/field-errors";
import { useHydrated } from "@/components/ui/use-hydrated";
import { agentFieldsSchema } from "@/server/registry/schemas";
import { formatCapabilityList, parseCapabilityList, type CapabilityEntry } from "./capability-text";
import type { z } from "zod";

export type AgentFormValues = z.output<typeof agentFieldsSchema>;

export interface AgentFormProps {
  initial?: {
    name: string;
    modelFamily: string;
    maxConcurrentTasks: number;
    tags: string[];
    capabilities: { taskTypes: CapabilityEntry[]; languages: CapabilityEntry[]; specializations: CapabilityEntry[] };
  };
  submitLabel: string;
  pending: boolean;
  serverErrors: Record<string, string[]>;
  serverMessage: string | null;
  onSubmit: (values: AgentFormValues) => void;
}

/** Messages for nested paths (capabilities.languages.0.proficiency) shown under their input. */
function collapse(errors: Record<string, string[]>): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const [path, messages] of Object.entries(errors)) {
    const key = path.startsWith("capabilities.") ? path.split(".").slice(0, 2).join(".") : path;
    (out[key] ??= []).push(...messages);
  }
  return out;
}

export function AgentForm({ initial, submitLabel, pending, serverErrors, serverMessage, onSubmit }: AgentFormProps) {
  const hydrated = useHydrated();
  const [clientErrors, setClientErrors] = useState<Record<string, string[]>>({});
  const errors = collapse({ ...serverErrors, ...clientErrors });

  function handle(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const f = new FormData(event.currentTarget);
    const text = (k: string) => String(f.get(k) ?? "");
    const parsed = agentFieldsSchema.safeParse({
      name: text("name"),
      modelFamily: text("modelFamily"),
      maxConcurrentTasks: Number(text("maxConcurrentTasks")),
      tags: text("tags")
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      capabilities: {
        taskTypes: parseCapabilityList(text("taskTypes")),
        languages: parseCapabilityList(text("languages")),
        specializations: parseCapabilityList(text("specializations")),
      },
    });
    if (!parsed.success) {
      setClientErrors(fieldErrorsFromIssues(parsed.error.issues));
      return;
    }
    setClientErrors({});
    onSubmit(parsed.data);
  }

  return (
    <form className="stack" onSubmit={handle} noValidate aria-label={submitLabel}>
      <label>
        Name
        <input name="name" defaultValue={initial?.name} maxLength={100} />
        <FieldError errors={errors} name="name" />
      </label>
      <label>
        Model family
        <input name="modelFamily" defaultValue={initial?.modelFamily} placeholder="claude-sonnet-4" />
        <FieldError errors={errors} name="modelFamily" />
      </label>
      <label>
        Task types (name:proficiency, comma-separated)
        <input name="taskTypes" defaultValue={initial ? formatCapabilityList(initial.capabilities.taskTypes) : ""} placeholder="code-review:0.9, testing" />
        <FieldError errors={errors} name="capabilities.taskTypes" />
      </label>
      <label>
        Languages
        <input name="languages" defaultValue={initial ? formatCapabilityList(initial.capabilities.languages) : ""} placeholder="typescript:0.8, python" />
        <FieldError errors={errors} name="capabilities.languages" />
      </label>
      <label>
        Specializations
        <input name="specializations" defaultValue={initial ? formatCapabilityList(initial.capabilities.specializations) : ""} placeholder="security, performance:0.7" />
        <FieldError errors={errors} name="capabilities.specializations" />
      </label>
      <label>
        Max concurrent tasks
        <input name="maxConcurrentTasks" type="number" min={1} max={10000} defaultValue={initial?.maxConcurrentTasks ?? 3} />
        <FieldError errors={errors} name="maxConcurrentTasks" />
      </label>
      <label>
        Tags (comma-separated)
        <input name="tags" defaultValue={initial?.tags.join(", ")} />
        <FieldError errors={errors} name="tags" />
      </label>
      {serverMessage && Object.keys(serverErrors).length === 0 ? <p className="error">{serverMessage}</p> : null}
      <button type="submit" disabled={pending || !hydrated}>
        {pending ? "Saving…" : submitLabel}
      </button>
    </form>
  );
}
