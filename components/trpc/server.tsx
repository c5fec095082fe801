// Server-component side of tRPC: prefetch queries in-process (no HTTP hop) and hydrate them into
// the client components of the same page.
import "server-only";
import { cache, type ReactNode } from "react";
import { headers } from "next/headers";
import { dehydrate, HydrationBoundary } from "@tanstack/react-query";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { appRouter } from "@/server/trpc/root";
import { createContext } from "@/server/trpc/context";
import { getDb } from "@/server/db/client";
import { sessionUserId } from "@/server/auth/session";
import { makeQueryClient } from "./query-client";
import { getRateLimiter } from "@/server/security/rate-limiter";

export const getQueryClient = cache(makeQueryClient);

const getContext = cache(async () =>
  createContext({ db: getDb(), headers: new Headers(await headers()), sessionUserId: await sessionUserId(), rateLimiter: getRateLimiter(getDb()) }),
);

export const trpc = createTRPCOptionsProxy({ ctx: getContext, router: appRouter, queryClient: getQueryClient });

/** A caller for server components that need the data itself (e.g. to redirect). */
export const serverCaller = cache(async () => appRouter.createCaller(await getContext()));

export function HydrateClient({ children }: { children: ReactNode }) {
  return <HydrationBoundary state={dehydrate(getQueryClient())}>{children}</HydrationBoundary>;
}
