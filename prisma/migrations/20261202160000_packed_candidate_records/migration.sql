-- Decisions record their scored candidates packed (server/routing/candidate-record.ts): float32
-- scores and the agents' ids and names as bytes, which Postgres stores without parsing. Records
-- made before keep their JSON in "candidates"; new ones leave it empty.
ALTER TABLE "routing_decisions" ADD COLUMN     "candidatesPacked" BYTEA,
ALTER COLUMN "candidates" DROP NOT NULL;

-- The agent ids in a record share long prefixes: lz4 halves that part quickly. Servers built
-- without lz4 (the embedded PGlite) keep pglz.
DO $$
BEGIN
  ALTER TABLE routing_decisions ALTER COLUMN "candidatesPacked" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  RAISE NOTICE 'lz4 is not available on this server: decision records keep pglz compression';
END
$$;
