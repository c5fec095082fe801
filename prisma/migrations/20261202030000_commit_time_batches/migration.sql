-- The commit-time counters of 20261125170000_commit_time_counters, per transaction instead of per
-- row. A batch of submissions commits dozens of audit entries and budget usage rows at once; before,
-- every pending row's trigger took the chain lock, read the chain head, or upserted the usage row on
-- its own. Now the first pending row of a transaction to fire does the work for all of them (the
-- only pending rows a transaction can see are its own: others' are uncommitted, and every
-- transaction empties its rows before it commits); the rest find their row gone and return.
-- Deferred triggers fire in the order their rows were inserted, so the first to fire has the
-- transaction's lowest pending id: reading from that id on (by primary key) finds all of its rows
-- without passing the dead rows that earlier transactions left behind.

-- Audit entries: per chain (in chain id order, so transactions writing to several chains take the
-- locks in one order), lock once, read the head once, then append the entries in insertion order,
-- each linked to the one before and hashed exactly as before.
CREATE OR REPLACE FUNCTION arbiter_deferred.link_audit_entry() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  e arbiter_deferred.audit_pending%ROWTYPE;
  chain text := NULL;
  next_seq int;
  prev text;
  linked bigint[] := '{}';
BEGIN
  IF NOT EXISTS (SELECT 1 FROM arbiter_deferred.audit_pending WHERE id = NEW.id) THEN
    RETURN NULL;
  END IF;
  FOR e IN SELECT * FROM arbiter_deferred.audit_pending WHERE id >= NEW.id ORDER BY "chainId", id LOOP
    IF chain IS DISTINCT FROM e."chainId" THEN
      chain := e."chainId";
      PERFORM pg_advisory_xact_lock(hashtextextended('audit:' || chain, 0));
      SELECT seq, hash INTO next_seq, prev FROM public.audit_events WHERE "chainId" = chain ORDER BY seq DESC LIMIT 1;
      next_seq := COALESCE(next_seq, 0);
      prev := COALESCE(prev, repeat('0', 64));
    END IF;
    next_seq := next_seq + 1;
    INSERT INTO public.audit_events ("chainId", seq, "tenantId", "actorType", "actorId", "actorLabel", action, "targetType", "targetId",
      summary, "requestId", "createdAt", "prevHash", hash)
    VALUES (e."chainId", next_seq, e."tenantId", e."actorType", e."actorId", e."actorLabel", e.action, e."targetType",
      e."targetId", e.summary, e."requestId", e."createdAt", prev,
      encode(sha256(convert_to(e."hashBefore" || '"' || prev || '"' || e."hashMiddle" || next_seq::text || e."hashAfter", 'UTF8')), 'hex'))
    RETURNING hash INTO prev;
    linked := linked || e.id;
  END LOOP;
  DELETE FROM arbiter_deferred.audit_pending WHERE id = ANY(linked);
  RETURN NULL;
END;
$$;

-- Budget usage: one upsert per (tenant, task type, day) for the whole transaction.
CREATE OR REPLACE FUNCTION arbiter_deferred.count_budget_usage() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM arbiter_deferred.budget_usage_pending WHERE id = NEW.id) THEN
    RETURN NULL;
  END IF;
  WITH taken AS (
    DELETE FROM arbiter_deferred.budget_usage_pending WHERE id >= NEW.id RETURNING "tenantId", "taskType", day, tasks, cost
  )
  INSERT INTO public.budget_usage ("tenantId", "taskType", day, tasks, cost)
    SELECT "tenantId", "taskType", day, sum(tasks), sum(cost) FROM taken GROUP BY "tenantId", "taskType", day
    ON CONFLICT ("tenantId", "taskType", day) DO UPDATE SET tasks = budget_usage.tasks + EXCLUDED.tasks, cost = budget_usage.cost + EXCLUDED.cost;
  RETURN NULL;
END;
$$;
