import { redirect } from "next/navigation";
import { serverCaller } from "@/components/trpc/server";
import { sessionUserId } from "@/server/auth/session";
import type { Action, Role } from "@/server/auth/permissions";

export const metadata = { title: "Roles · Arbiter" };

/** The permission matrix, read-only, exactly as the server enforces it. */
export default async function RolesPage() {
  if (!(await sessionUserId())) redirect("/sign-in");
  const { roles, permissions, procedures } = await (await serverCaller()).tenant.roles();
  const actions = Object.keys(permissions) as Action[];
  const allows = (role: Role, action: Action) => (permissions[action] as readonly Role[]).includes(role);
  return (
    <>
      <h1>Roles and permissions</h1>
      <p className="muted">Read-only: this is the matrix the server enforces on every call. API tokens are further limited by their scopes.</p>
      <table aria-label="Permission matrix">
        <thead>
          <tr>
            <th>Permission</th>
            {roles.map((r) => (
              <th key={r}>{r}</th>
            ))}
            <th>Procedures</th>
          </tr>
        </thead>
        <tbody>
          {actions.map((action) => (
            <tr key={action}>
              <td>
                <code>{action}</code>
              </td>
              {roles.map((r) => (
                <td key={r} aria-label={`${r} ${allows(r, action) ? "may" : "may not"} ${action}`}>
                  {allows(r, action) ? "✓" : "—"}
                </td>
              ))}
              <td className="muted">
                {procedures
                  .filter((p) => p.access.kind === "permission" && p.access.permission === action)
                  .map((p) => p.path)
                  .join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Without a permission</h2>
      <ul>
        {procedures
          .filter((p) => p.access.kind !== "permission")
          .map((p) => (
            <li key={p.path}>
              <code>{p.path}</code>: {p.access.kind === "public" ? "public (the invitation link is the credential)" : "any signed-in user or valid token"}
            </li>
          ))}
      </ul>
    </>
  );
}
