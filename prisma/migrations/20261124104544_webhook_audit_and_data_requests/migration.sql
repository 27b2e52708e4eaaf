-- AlterTable
ALTER TABLE "shopify_webhook_events" ADD COLUMN "resourceId" TEXT;

-- CreateTable
CREATE TABLE "shopify_webhook_event_transitions" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "eventId" TEXT NOT NULL,
    "fromStatus" TEXT,
    "toStatus" TEXT NOT NULL,
    "error" TEXT,
    "at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "shopify_webhook_event_transitions_eventId_fkey" FOREIGN KEY ("eventId") REFERENCES "shopify_webhook_events" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_customer_data_requests" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" INTEGER NOT NULL,
    "dataRequestId" TEXT,
    "customerId" TEXT,
    "email" TEXT,
    "ordersRequested" JSONB,
    "record" JSONB NOT NULL,
    "requestedAt" DATETIME NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "shopify_customer_data_requests_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_shopify_order_line_items" (
    "storeId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "productId" TEXT,
    "variantId" TEXT,
    "title" TEXT NOT NULL,
    "variantTitle" TEXT,
    "sku" TEXT,
    "vendor" TEXT,
    "quantity" INTEGER NOT NULL,
    "currentQuantity" INTEGER,
    "unitPrice" TEXT NOT NULL,
    "unitPriceMinor" BIGINT NOT NULL,
    "orderUpdatedAt" DATETIME NOT NULL,
    "raw" JSONB,

    PRIMARY KEY ("storeId", "shopifyId"),
    CONSTRAINT "shopify_order_line_items_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "shopify_order_line_items_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "shopify_orders" ("storeId", "shopifyId") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_shopify_order_line_items" ("currentQuantity", "orderId", "productId", "quantity", "raw", "shopifyId", "sku", "storeId", "title", "unitPrice", "unitPriceMinor", "variantId", "variantTitle", "vendor") SELECT "currentQuantity", "orderId", "productId", "quantity", "raw", "shopifyId", "sku", "storeId", "title", "unitPrice", "unitPriceMinor", "variantId", "variantTitle", "vendor" FROM "shopify_order_line_items";
DROP TABLE "shopify_order_line_items";
ALTER TABLE "new_shopify_order_line_items" RENAME TO "shopify_order_line_items";
CREATE INDEX "shopify_order_line_items_storeId_orderId_idx" ON "shopify_order_line_items"("storeId", "orderId");
CREATE INDEX "shopify_order_line_items_storeId_variantId_idx" ON "shopify_order_line_items"("storeId", "variantId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "shopify_webhook_event_transitions_eventId_at_idx" ON "shopify_webhook_event_transitions"("eventId", "at");

-- CreateIndex
CREATE INDEX "shopify_customer_data_requests_storeId_requestedAt_idx" ON "shopify_customer_data_requests"("storeId", "requestedAt");

-- CreateIndex
CREATE INDEX "shopify_webhook_events_storeId_resourceId_receivedAt_idx" ON "shopify_webhook_events"("storeId", "resourceId", "receivedAt");

