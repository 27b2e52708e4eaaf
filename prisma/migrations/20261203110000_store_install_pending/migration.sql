-- AlterTable
ALTER TABLE "shopify_stores" ADD COLUMN "installPendingSince" DATETIME;

