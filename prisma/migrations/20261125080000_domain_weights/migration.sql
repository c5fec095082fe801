-- AlterTable
ALTER TABLE "research_settings" ADD COLUMN     "domainWeights" TEXT[];

