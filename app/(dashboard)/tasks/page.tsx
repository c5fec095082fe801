import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { TasksTable } from "@/components/tasks/tasks-table";
import { taskFiltersFromParams } from "@/components/tasks/filters";

export const metadata = { title: "Tasks · Arbiter" };

export default async function TasksPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = new URLSearchParams(Object.entries(await searchParams).filter((e): e is [string, string] => !!e[1]));
  await getQueryClient().prefetchQuery(trpc.tasks.list.queryOptions(taskFiltersFromParams(params)));
  return (
    <HydrateClient>
      <h1>Tasks</h1>
      <TasksTable />
    </HydrateClient>
  );
}
