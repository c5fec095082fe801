-- Budget usage is noted once per statement instead of once per task row. The row trigger ran a
-- PL/pgSQL call and wrote two pending rows for every assigned task, each row with its own deferred
-- trigger event at COMMIT; a statement that assigns a batch of tasks now writes one pending row per
-- (task type or '*', day) it touches. Inserts are counted too: a submitted task whose agent is
-- claimed at once is inserted already assigned (server/routing/task-service.ts submitTasks).
DROP TRIGGER tasks_count_budget_usage ON "tasks";
DROP FUNCTION tasks_count_budget_usage();

CREATE FUNCTION tasks_count_budget_usage_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO arbiter_deferred.budget_usage_pending ("tenantId", "taskType", day, tasks, cost)
  SELECT u."tenantId", k.type, u.day, sum(u.tasks)::int, sum(u.cost)
  FROM (
    SELECT "tenantId", type, (COALESCE("assignedAt", now()) AT TIME ZONE 'UTC')::date AS day, 1 AS tasks, 0::float8 AS cost
      FROM inserted WHERE status = 'assigned'
    UNION ALL
    SELECT "tenantId", type, (COALESCE("completedAt", now()) AT TIME ZONE 'UTC')::date, 0, cost
      FROM inserted WHERE cost > 0
  ) u CROSS JOIN LATERAL (VALUES ('*'), (u.type)) AS k(type)
  GROUP BY u."tenantId", k.type, u.day;
  RETURN NULL;
END;
$$;

CREATE FUNCTION tasks_count_budget_usage_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO arbiter_deferred.budget_usage_pending ("tenantId", "taskType", day, tasks, cost)
  SELECT u."tenantId", k.type, u.day, sum(u.tasks)::int, sum(u.cost)
  FROM (
    SELECT n."tenantId", n.type, (COALESCE(n."assignedAt", now()) AT TIME ZONE 'UTC')::date AS day, 1 AS tasks, 0::float8 AS cost
      FROM updated n JOIN previous o ON o.id = n.id
      WHERE n.status = 'assigned' AND o.status IS DISTINCT FROM 'assigned'
    UNION ALL
    SELECT n."tenantId", n.type, (COALESCE(n."completedAt", now()) AT TIME ZONE 'UTC')::date, 0, n.cost
      FROM updated n JOIN previous o ON o.id = n.id
      WHERE n.cost > 0 AND o.cost IS NULL
  ) u CROSS JOIN LATERAL (VALUES ('*'), (u.type)) AS k(type)
  GROUP BY u."tenantId", k.type, u.day;
  RETURN NULL;
END;
$$;

CREATE TRIGGER tasks_count_budget_usage_inserted
  AFTER INSERT ON "tasks" REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION tasks_count_budget_usage_inserted();

CREATE TRIGGER tasks_count_budget_usage_updated
  AFTER UPDATE ON "tasks" REFERENCING OLD TABLE AS previous NEW TABLE AS updated
  FOR EACH STATEMENT EXECUTE FUNCTION tasks_count_budget_usage_updated();
