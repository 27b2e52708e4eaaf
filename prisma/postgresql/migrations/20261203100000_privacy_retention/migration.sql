-- AlterTable
ALTER TABLE "shopify_webhook_events" ADD COLUMN     "bodyErasedAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "shopify_customer_data_requests" ADD COLUMN     "fulfilledAt" TIMESTAMP(3),
ADD COLUMN     "redactedAt" TIMESTAMP(3);

