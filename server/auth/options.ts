// next-auth configuration: email + password credentials, JWT sessions. The session carries only
// the user id; memberships and roles are read from the database on every request, so a role
// change or removal takes effect at once.
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { z } from "zod";
import { getDb } from "@/server/db/client";
import { SIGN_IN_MESSAGES, authenticate } from "./sign-in";
import { clientIpFrom } from "@/server/observability/request";

const credentialsSchema = z.object({ email: z.email(), password: z.string().min(1).max(256) });

export function getAuthOptions(): NextAuthOptions {
  return {
    secret: process.env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
    pages: { signIn: "/sign-in", error: "/sign-in" },
    providers: [
      CredentialsProvider({
        name: "Email and password",
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, req) {
          const parsed = credentialsSchema.safeParse(credentials);
          if (!parsed.success) throw new Error(SIGN_IN_MESSAGES.invalid_credentials);
          const headers = new Headers();
          for (const [k, v] of Object.entries(req.headers ?? {})) if (typeof v === "string") headers.set(k, v);
          const result = await authenticate(getDb(), { ...parsed.data, ip: clientIpFrom(headers) });
          if (!result.ok) throw new Error(SIGN_IN_MESSAGES[result.reason]);
          return result.user;
        },
      }),
    ],
    callbacks: {
      jwt({ token, user }) {
        if (user) token.sub = user.id;
        return token;
      },
      session({ session, token }) {
        if (session.user && token.sub) (session.user as { id?: string }).id = token.sub;
        return session;
      },
    },
  };
}
