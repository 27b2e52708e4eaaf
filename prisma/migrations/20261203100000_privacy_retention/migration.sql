-- AlterTable
ALTER TABLE "shopify_webhook_events" ADD COLUMN "bodyErasedAt" DATETIME;

-- AlterTable
ALTER TABLE "shopify_customer_data_requests" ADD COLUMN "fulfilledAt" DATETIME;
ALTER TABLE "shopify_customer_data_requests" ADD COLUMN "redactedAt" DATETIME;

