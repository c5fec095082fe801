-- Every outcome offers the freed slot to the waiting task of its type with the highest priority,
-- then the oldest. Over (tenantId, status, priority) that lookup had to pass every waiting task of
-- other types, and its prepared (generic) plan fell back to scanning the tasks table. This index
-- holds the waiting tasks only, in exactly the order asked for.
CREATE INDEX "tasks_waiting_idx" ON "tasks" ("tenantId", "type", "priority" DESC, "submittedAt") WHERE "status" = 'submitted';
