-- AlterTable
ALTER TABLE "waivers" ADD COLUMN     "endRecordedAt" TIMESTAMPTZ(3);

