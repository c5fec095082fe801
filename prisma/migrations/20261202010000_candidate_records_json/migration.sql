-- A decision's candidates are written once and read whole (never queried inside): stored as json
-- (validated text) instead of jsonb, Postgres no longer builds a binary document of every candidate
-- on each decision, which cost more than the rest of the assignment statement. The record itself
-- moves to a columnar form (server/routing/candidate-record.ts); readers decode both forms.
ALTER TABLE routing_decisions ALTER COLUMN candidates TYPE json USING candidates::json;
DO $$
BEGIN
  ALTER TABLE routing_decisions ALTER COLUMN candidates SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: decision records keep pglz compression';
END
$$;
