-- A routing decision records every candidate's score and its parts: with a few hundred capable
-- agents that is tens of kilobytes of JSON per decision, which Postgres compresses when it moves it
-- out of line. pglz cost ~3% of the machine's CPU on the route+assign benchmark; lz4 compresses
-- several times faster at a similar ratio. Servers built without lz4 (the embedded PGlite) keep pglz.
DO $$
BEGIN
  ALTER TABLE routing_decisions
    ALTER COLUMN candidates SET COMPRESSION lz4,
    ALTER COLUMN excluded SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: decision records keep pglz compression';
END
$$;
