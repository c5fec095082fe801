// Reads the signed-in user's id from the next-auth session (App Router: request headers/cookies).
import { getServerSession } from "next-auth";
import { getAuthOptions } from "./options";

export async function sessionUserId(): Promise<string | null> {
  const session = await getServerSession(getAuthOptions());
  return (session?.user as { id?: string } | undefined)?.id ?? null;
}
