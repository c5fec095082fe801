-- Work that every assignment does on rows shared by the whole tenant (the audit chain's head, the
-- day's budget usage) moves to COMMIT, through deferred constraint triggers. Before, a transaction
-- took those locks mid-way and held them through its remaining round trips to the app, so all of a
-- tenant's submits queued behind each other; now each holds them only while it commits.
--
-- The pending rows live in their own schema: Prisma's introspection (db pull) cannot read
-- constraint triggers, and nothing here belongs in the data model (rows exist only until COMMIT).

CREATE SCHEMA arbiter_deferred;
GRANT USAGE ON SCHEMA arbiter_deferred TO arbiter_app;

-- Audit entries of a transaction, linked into their chain at COMMIT.
CREATE TABLE arbiter_deferred.audit_pending (
    "id" BIGSERIAL PRIMARY KEY,
    "tenantId" TEXT,
    "chainId" TEXT NOT NULL,
    "actorType" "ActorType" NOT NULL,
    "actorId" TEXT,
    "actorLabel" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "targetType" TEXT,
    "targetId" TEXT,
    "summary" JSONB NOT NULL,
    "requestId" TEXT,
    "createdAt" TIMESTAMPTZ(3) NOT NULL,
    -- The canonical JSON of the entry around its prevHash and seq (server/audit/chain.ts).
    "hashBefore" TEXT NOT NULL,
    "hashMiddle" TEXT NOT NULL,
    "hashAfter" TEXT NOT NULL
);

-- Budget usage changes of a transaction, added to budget_usage at COMMIT.
CREATE TABLE arbiter_deferred.budget_usage_pending (
    "id" BIGSERIAL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "taskType" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "tasks" INTEGER NOT NULL,
    "cost" DOUBLE PRECISION NOT NULL
);

GRANT SELECT, INSERT, DELETE ON ALL TABLES IN SCHEMA arbiter_deferred TO arbiter_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA arbiter_deferred TO arbiter_app;

-- The same tenant isolation as the tables they feed.
ALTER TABLE arbiter_deferred.audit_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON arbiter_deferred.audit_pending USING ("chainId" = (SELECT arbiter_current_tenant())) WITH CHECK ("chainId" = (SELECT arbiter_current_tenant()) AND "tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE arbiter_deferred.budget_usage_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON arbiter_deferred.budget_usage_pending USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));

-- At COMMIT, in insertion order: lock the chain, read its head (a fresh snapshot per statement, so
-- the previous holder's entry is visible), append the entry linked and hashed, drop the pending row.
-- The hash is sha256 of the canonical JSON with prevHash and seq filled in, as hashEntry computes it.
CREATE FUNCTION arbiter_deferred.link_audit_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq int;
  head_hash text;
  next_seq int;
  prev text;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || NEW."chainId", 0));
  SELECT seq, hash INTO head_seq, head_hash FROM public.audit_events WHERE "chainId" = NEW."chainId" ORDER BY seq DESC LIMIT 1;
  next_seq := COALESCE(head_seq, 0) + 1;
  prev := COALESCE(head_hash, repeat('0', 64));
  INSERT INTO public.audit_events ("chainId", seq, "tenantId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId",
    summary, "requestId", "createdAt", "prevHash", hash)
  VALUES (NEW."chainId", next_seq, NEW."tenantId", NEW."actorType", NEW."actorId", NEW."actorLabel", NEW.action, NEW."targetType",
    NEW."targetId", NEW.summary, NEW."requestId", NEW."createdAt", prev,
    encode(sha256(convert_to(NEW."hashBefore" || '"' || prev || '"' || NEW."hashMiddle" || next_seq::text || NEW."hashAfter", 'UTF8')), 'hex'));
  DELETE FROM arbiter_deferred.audit_pending WHERE id = NEW.id;
  RETURN NULL;
END;
$$;

CREATE CONSTRAINT TRIGGER link_audit_entry
  AFTER INSERT ON arbiter_deferred.audit_pending DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION arbiter_deferred.link_audit_entry();

CREATE FUNCTION arbiter_deferred.count_budget_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.budget_usage ("tenantId", "taskType", day, tasks, cost)
    VALUES (NEW."tenantId", NEW."taskType", NEW.day, NEW.tasks, NEW.cost)
    ON CONFLICT ("tenantId", "taskType", day) DO UPDATE SET tasks = budget_usage.tasks + EXCLUDED.tasks, cost = budget_usage.cost + EXCLUDED.cost;
  DELETE FROM arbiter_deferred.budget_usage_pending WHERE id = NEW.id;
  RETURN NULL;
END;
$$;

-- Work that reads usage after changing it in the same transaction runs
-- SET CONSTRAINTS arbiter_deferred.count_budget_usage IMMEDIATE first (server/constitution/budget-events.ts).
CREATE CONSTRAINT TRIGGER count_budget_usage
  AFTER INSERT ON arbiter_deferred.budget_usage_pending DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION arbiter_deferred.count_budget_usage();

-- The trigger on tasks now only notes the change (no lock on a shared row).
CREATE OR REPLACE FUNCTION tasks_count_budget_usage() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  d date;
BEGIN
  IF NEW.status = 'assigned' AND OLD.status IS DISTINCT FROM 'assigned' THEN
    d := (COALESCE(NEW."assignedAt", now()) AT TIME ZONE 'UTC')::date;
    INSERT INTO arbiter_deferred.budget_usage_pending ("tenantId", "taskType", day, tasks, cost)
      VALUES (NEW."tenantId", '*', d, 1, 0), (NEW."tenantId", NEW.type, d, 1, 0);
  END IF;
  IF NEW.cost IS NOT NULL AND OLD.cost IS NULL AND NEW.cost > 0 THEN
    d := (COALESCE(NEW."completedAt", now()) AT TIME ZONE 'UTC')::date;
    INSERT INTO arbiter_deferred.budget_usage_pending ("tenantId", "taskType", day, tasks, cost)
      VALUES (NEW."tenantId", '*', d, 0, NEW.cost), (NEW."tenantId", NEW.type, d, 0, NEW.cost);
  END IF;
  RETURN NEW;
END;
$$;
