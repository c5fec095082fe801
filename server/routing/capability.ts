// Capability matching: does an agent fit a task's requirements, how well, and if not, why not.
// Pure: the registry service loads agents; this decides.

export interface AgentCapabilities {
  taskTypes: Record<string, number | null>;
  languages: Record<string, number | null>;
  specializations: Record<string, number | null>;
}

export interface Requirement {
  taskType: string;
  languages: readonly string[];
  specializations: readonly string[];
  /** Every required capability must have at least this proficiency. */
  minProficiency: number;
}

export type MatchResult =
  | { fits: true; match: number; reason: string }
  | { fits: false; reason: string };

/** A capability declared without a proficiency counts as fully proficient. */
const proficiencyOf = (p: number | null | undefined) => (p === null || p === undefined ? 1 : p);

export function matchCapabilities(agent: AgentCapabilities, req: Requirement): MatchResult {
  if (!(req.taskType in agent.taskTypes)) return { fits: false, reason: `does not take ${req.taskType} tasks` };
  const parts: { label: string; proficiency: number }[] = [
    { label: `type ${req.taskType}`, proficiency: proficiencyOf(agent.taskTypes[req.taskType]) },
  ];
  for (const [kind, required, declared] of [
    ["language", req.languages, agent.languages],
    ["specialization", req.specializations, agent.specializations],
  ] as const) {
    for (const name of required) {
      if (!(name in declared)) return { fits: false, reason: `lacks ${kind} ${name}` };
      parts.push({ label: `${kind} ${name}`, proficiency: proficiencyOf(declared[name]) });
    }
  }
  const weak = parts.find((p) => p.proficiency < req.minProficiency);
  if (weak) return { fits: false, reason: `${weak.label} proficiency ${weak.proficiency} < ${req.minProficiency}` };
  const match = parts.reduce((sum, p) => sum + p.proficiency, 0) / parts.length;
  // Proficiencies to two places in the text (the score itself stays exact): the reason is read by people.
  return { fits: true, match, reason: parts.map((p) => `${p.label} ${Math.round(p.proficiency * 100) / 100}`).join(", ") };
}
