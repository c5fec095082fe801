-- Routing decisions that place no agent add to the hourly roll-up at COMMIT, like audit entries and budget usage
-- (20261125170000_commit_time_counters). Every decision that places no agent counts into one row per
-- tenant, task type and hour (agentId ''), so when a fleet is full every new task's transaction
-- waited for that row's lock, held by the previous one through its round trips back to the app
-- (the constitution bench, with its agents gone silent: sessions mostly waiting on
-- Lock:transactionid on that upsert). Now a decision writes a pending row, and a deferred
-- constraint trigger adds it to routing_stats_hourly while the transaction commits.
CREATE TABLE arbiter_deferred.routing_stats_pending (
    "id" BIGSERIAL PRIMARY KEY,
    "tenantId" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "taskType" TEXT NOT NULL,
    "agentId" TEXT NOT NULL,
    "explored" INTEGER NOT NULL,
    "assigned" INTEGER NOT NULL,
    "waiting" INTEGER NOT NULL,
    "rejected" INTEGER NOT NULL,
    "decisionMs" DOUBLE PRECISION NOT NULL,
    -- The decision's latency bucket (1-based) and the same as a one-hot array for a new row.
    "bucket" INTEGER NOT NULL,
    "latencyBuckets" INTEGER[] NOT NULL
);
GRANT SELECT, INSERT, DELETE ON arbiter_deferred.routing_stats_pending TO arbiter_app;
GRANT USAGE, SELECT ON SEQUENCE arbiter_deferred.routing_stats_pending_id_seq TO arbiter_app;
ALTER TABLE arbiter_deferred.routing_stats_pending ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON arbiter_deferred.routing_stats_pending USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));

CREATE FUNCTION arbiter_deferred.add_routing_stats() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO public.routing_stats_hourly ("tenantId", hour, "taskType", "agentId", decisions, explored, assigned, waiting, rejected, "decisionMsSum", "latencyBuckets")
    VALUES (NEW."tenantId", NEW.hour, NEW."taskType", NEW."agentId", 1, NEW.explored, NEW.assigned, NEW.waiting, NEW.rejected, NEW."decisionMs", NEW."latencyBuckets")
    ON CONFLICT ("tenantId", hour, "taskType", "agentId") DO UPDATE SET
      decisions = routing_stats_hourly.decisions + 1,
      explored = routing_stats_hourly.explored + EXCLUDED.explored,
      assigned = routing_stats_hourly.assigned + EXCLUDED.assigned,
      waiting = routing_stats_hourly.waiting + EXCLUDED.waiting,
      rejected = routing_stats_hourly.rejected + EXCLUDED.rejected,
      "decisionMsSum" = routing_stats_hourly."decisionMsSum" + EXCLUDED."decisionMsSum",
      "latencyBuckets"[NEW.bucket] = COALESCE(routing_stats_hourly."latencyBuckets"[NEW.bucket], 0) + 1;
  DELETE FROM arbiter_deferred.routing_stats_pending WHERE id = NEW.id;
  RETURN NULL;
END;
$$;
CREATE CONSTRAINT TRIGGER add_routing_stats
  AFTER INSERT ON arbiter_deferred.routing_stats_pending DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION arbiter_deferred.add_routing_stats();
