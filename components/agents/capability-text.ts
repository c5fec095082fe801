// Capabilities as operators type them: "code-review:0.9, testing" (name with optional proficiency).
export interface CapabilityEntry {
  name: string;
  proficiency: number | null;
}

export function parseCapabilityList(text: string): CapabilityEntry[] {
  return text
    .split(",")
    .map((part) => part.trim())
    .filter(Boolean)
    .map((part) => {
      const [name, level] = part.split(":").map((s) => s.trim());
      const proficiency = level === undefined || level === "" ? null : Number(level);
      return { name: name ?? "", proficiency: proficiency === null || Number.isNaN(proficiency) ? (level ? NaN : null) : proficiency };
    });
}

export function formatCapabilityList(list: readonly CapabilityEntry[]): string {
  return list.map((c) => (c.proficiency === null ? c.name : `${c.name}:${c.proficiency}`)).join(", ");
}
