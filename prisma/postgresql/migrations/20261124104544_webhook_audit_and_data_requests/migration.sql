-- AlterTable
ALTER TABLE "shopify_order_line_items" ADD COLUMN     "orderUpdatedAt" TIMESTAMP(3) NOT NULL;

-- AlterTable
ALTER TABLE "shopify_webhook_events" ADD COLUMN     "resourceId" TEXT;

-- CreateTable
CREATE TABLE "shopify_webhook_event_transitions" (
    "id" SERIAL NOT NULL,
    "eventId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "error" TEXT,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shopify_webhook_event_transitions_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "shopify_customer_data_requests" (
    "id" TEXT NOT NULL,
    "storeId" INTEGER NOT NULL,
    "dataRequestId" TEXT,
    "customerId" TEXT,
    "email" TEXT,
    "ordersRequested" JSONB,
    "record" JSONB NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "shopify_customer_data_requests_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "shopify_webhook_event_transitions_eventId_at_idx" ON "shopify_webhook_event_transitions"("eventId", "at");

-- CreateIndex
CREATE INDEX "shopify_customer_data_requests_storeId_requestedAt_idx" ON "shopify_customer_data_requests"("storeId", "requestedAt");

-- CreateIndex
CREATE INDEX "shopify_webhook_events_storeId_resourceId_receivedAt_idx" ON "shopify_webhook_events"("storeId", "resourceId", "receivedAt");

-- AddForeignKey
ALTER TABLE "shopify_webhook_event_transitions" ADD CONSTRAINT "shopify_webhook_event_transitions_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "shopify_webhook_events"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "shopify_customer_data_requests" ADD CONSTRAINT "shopify_customer_data_requests_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

