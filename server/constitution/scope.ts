// Whether a touched path lies inside a spec's scope. A scope entry is a directory ("src/api/"), a
// file ("src/api/index.ts", also covering it as a directory), or a glob ("src/**/*.ts").
import picomatch from "picomatch";

const GLOB = /[*?[\]{}!]/;

export function normalisePath(path: string): string {
  return path.trim().replace(/\\/g, "/").replace(/^\.\//, "").replace(/^\/+/, "");
}

// Policies and specs are parsed once per version (inputs.ts), so their scope lists are the same
// arrays on every evaluation: each is compiled once (globs become regular expressions), not per task.
const compiled = new WeakMap<readonly string[], (path: string) => boolean>();

export function compileScope(entries: readonly string[]): (path: string) => boolean {
  let matcher = compiled.get(entries);
  if (!matcher) compiled.set(entries, (matcher = compileEntries(entries)));
  return matcher;
}

function compileEntries(entries: readonly string[]): (path: string) => boolean {
  const matchers = entries.map((raw) => {
    const entry = normalisePath(raw);
    if (GLOB.test(entry)) {
      const isMatch = picomatch(entry, { dot: true });
      return (p: string) => isMatch(p);
    }
    const dir = entry.endsWith("/") ? entry : `${entry}/`;
    return (p: string) => p === entry || p.startsWith(dir);
  });
  return (path) => {
    const p = normalisePath(path);
    return matchers.some((m) => m(p));
  };
}

export const isRootLevel = (path: string) => !normalisePath(path).includes("/");
