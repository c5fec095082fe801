"use client";
// Filters and cursors kept in the URL, so a filtered view can be shared and survives reloads.
import { usePathname, useRouter, useSearchParams } from "next/navigation";

export function useUrlFilters() {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();

  /** Sets (or, for undefined/empty, removes) the given parameters and navigates. */
  function navigate(next: Record<string, string | undefined>) {
    const merged = new URLSearchParams(params);
    for (const [k, v] of Object.entries(next)) {
      if (v) merged.set(k, v);
      else merged.delete(k);
    }
    router.push(`${pathname}?${merged.toString()}`);
  }

  /** The trimmed, non-empty value of a form field, or undefined. */
  const field = (form: FormData, name: string) => String(form.get(name) ?? "").trim() || undefined;

  return { params, navigate, field };
}
