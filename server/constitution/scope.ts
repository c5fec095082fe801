// Whether a touched path lies inside a spec's scope. A scope entry is a directory ("src/api/"), a
// file ("src/api/index.ts", also covering it as a directory), or a glob ("src/**/*.ts").
import picomatch from "picomatch";

const GLOB = /[*?[\]{}!]/;

export function normalisePath(path: string): string {
  return path.trim().replace(/\\/g, "/").replace(/^\.\//, "").replace(/^\/+/, "");
}

export function compileScope(entries: readonly string[]): (path: string) => boolean {
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
