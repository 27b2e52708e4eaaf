-- AlterTable
ALTER TABLE "shopify_stores" ADD COLUMN     "installPendingSince" TIMESTAMP(3);

