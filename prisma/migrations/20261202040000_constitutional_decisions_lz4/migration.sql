-- A constitutional decision keeps its inputs (the change, the waivers and budgets as they were:
-- ~6.7 KB of JSON for a 50-file change with 20 waivers), its rule results (~1.9 KB) and the
-- waivers it skipped (~1.4 KB). Past ~2 KB a row's largest values are compressed (TOAST), and
-- pglz costs several times lz4's CPU (see 20261125193000_decision_records_lz4, which did the same
-- for routing decisions). Servers built without lz4 (the embedded PGlite) keep pglz.
DO $$
BEGIN
  ALTER TABLE "constitutional_decisions"
    ALTER COLUMN "inputs" SET COMPRESSION lz4,
    ALTER COLUMN "rules" SET COMPRESSION lz4,
    ALTER COLUMN "waiversSkipped" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: constitutional decisions keep pglz compression';
END $$;
