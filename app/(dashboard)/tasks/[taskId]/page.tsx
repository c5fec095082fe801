import { HydrateClient, getQueryClient, trpc } from "@/components/trpc/server";
import { TaskDetail } from "@/components/tasks/task-detail";

export const metadata = { title: "Task · Arbiter" };

export default async function TaskPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  await getQueryClient().prefetchQuery(trpc.tasks.get.queryOptions({ taskId }));
  return (
    <HydrateClient>
      <TaskDetail taskId={taskId} />
    </HydrateClient>
  );
}
