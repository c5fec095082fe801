-- Row-level security: tenant-scoped requests run as arbiter_app (no BYPASSRLS) with the tenant in
-- the transaction-local setting arbiter.tenant_id (server/db/tenant-scope.ts). Every tenant-owned
-- table only shows and accepts that tenant's rows, so a query that forgets its tenant filter still
-- cannot reach another tenant. System work (sign-in, token lookup, sweeps, migrations) runs as the
-- table owner, which RLS does not restrict.

DO $$
BEGIN
  CREATE ROLE arbiter_app NOLOGIN NOBYPASSRLS;
EXCEPTION
  WHEN duplicate_object OR unique_violation THEN NULL; -- roles are per cluster; another database made it
END
$$;

GRANT USAGE ON SCHEMA public TO arbiter_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO arbiter_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO arbiter_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO arbiter_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO arbiter_app;

-- The tenant of the current transaction; NULL when none is set (then no tenant row is visible).
-- Policies call it as a sub-select so Postgres evaluates it once per query, not once per row.
CREATE FUNCTION arbiter_current_tenant() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT NULLIF(current_setting('arbiter.tenant_id', true), '')
$$;

ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tenants" USING ("id" = (SELECT arbiter_current_tenant())) WITH CHECK ("id" = (SELECT arbiter_current_tenant()));

ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "audit_events" USING ("chainId" = (SELECT arbiter_current_tenant())) WITH CHECK ("chainId" = (SELECT arbiter_current_tenant()) AND "tenantId" = (SELECT arbiter_current_tenant()));

ALTER TABLE "memberships" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "memberships" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "invitations" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "invitations" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "api_tokens" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "api_tokens" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "agents" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "agents" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "agent_capabilities" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "agent_capabilities" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "agent_performance" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "agent_performance" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "bandit_arms" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "bandit_arms" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "routing_policies" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "routing_policies" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "tasks" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "tasks" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "routing_decisions" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "routing_decisions" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "routing_stats_hourly" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "routing_stats_hourly" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "rate_limit_settings" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "rate_limit_settings" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
ALTER TABLE "rate_limit_rejections" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "rate_limit_rejections" USING ("tenantId" = (SELECT arbiter_current_tenant())) WITH CHECK ("tenantId" = (SELECT arbiter_current_tenant()));
