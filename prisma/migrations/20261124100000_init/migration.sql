-- CreateTable
CREATE TABLE "Session" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "shop" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "isOnline" BOOLEAN NOT NULL DEFAULT false,
    "scope" TEXT,
    "expires" DATETIME,
    "accessToken" TEXT NOT NULL,
    "userId" BIGINT,
    "firstName" TEXT,
    "lastName" TEXT,
    "email" TEXT,
    "accountOwner" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT,
    "collaborator" BOOLEAN DEFAULT false,
    "emailVerified" BOOLEAN DEFAULT false,
    "refreshToken" TEXT,
    "refreshTokenExpires" DATETIME
);

-- CreateTable
CREATE TABLE "shopify_stores" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "shop" TEXT NOT NULL,
    "shopifyId" TEXT,
    "name" TEXT,
    "email" TEXT,
    "planName" TEXT,
    "currencyCode" TEXT,
    "ianaTimezone" TEXT,
    "primaryDomain" TEXT,
    "grantedScopes" TEXT NOT NULL DEFAULT '',
    "status" TEXT NOT NULL DEFAULT 'active',
    "installedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "uninstalledAt" DATETIME,
    "reconcileEveryHours" INTEGER NOT NULL DEFAULT 24,
    "orderHistoryDays" INTEGER NOT NULL DEFAULT 60,
    "retainDaysAfterUninstall" INTEGER NOT NULL DEFAULT 30,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "shopify_products" (
    "storeId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "handle" TEXT,
    "vendor" TEXT,
    "productType" TEXT,
    "status" TEXT,
    "tags" TEXT,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "publishedAt" DATETIME,
    "deletedAt" DATETIME,
    "raw" JSONB,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "syncedBy" TEXT NOT NULL DEFAULT 'sync',

    PRIMARY KEY ("storeId", "shopifyId"),
    CONSTRAINT "shopify_products_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_product_variants" (
    "storeId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "title" TEXT,
    "sku" TEXT,
    "barcode" TEXT,
    "price" TEXT,
    "compareAtPrice" TEXT,
    "position" INTEGER,
    "inventoryItemId" TEXT,
    "inventoryPolicy" TEXT,
    "inventoryQuantity" INTEGER,
    "selectedOptions" JSONB,
    "taxable" BOOLEAN,
    "shopifyCreatedAt" DATETIME,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "raw" JSONB,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("storeId", "shopifyId"),
    CONSTRAINT "shopify_product_variants_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "shopify_product_variants_storeId_productId_fkey" FOREIGN KEY ("storeId", "productId") REFERENCES "shopify_products" ("storeId", "shopifyId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_locations" (
    "storeId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "isActive" BOOLEAN NOT NULL DEFAULT true,
    "address" JSONB,
    "shopifyUpdatedAt" DATETIME,
    "deletedAt" DATETIME,
    "raw" JSONB,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("storeId", "shopifyId"),
    CONSTRAINT "shopify_locations_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_inventory_levels" (
    "storeId" INTEGER NOT NULL,
    "inventoryItemId" TEXT NOT NULL,
    "locationId" TEXT NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "available" INTEGER NOT NULL,
    "onHand" INTEGER,
    "committed" INTEGER,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("storeId", "inventoryItemId", "locationId"),
    CONSTRAINT "shopify_inventory_levels_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_orders" (
    "storeId" INTEGER NOT NULL,
    "shopifyId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "orderNumber" INTEGER,
    "email" TEXT,
    "phone" TEXT,
    "customerId" TEXT,
    "customerFirstName" TEXT,
    "customerLastName" TEXT,
    "billingAddress" JSONB,
    "shippingAddress" JSONB,
    "financialStatus" TEXT,
    "fulfillmentStatus" TEXT,
    "currencyCode" TEXT NOT NULL,
    "totalPrice" TEXT NOT NULL,
    "totalPriceMinor" BIGINT NOT NULL,
    "subtotalPrice" TEXT,
    "totalTax" TEXT,
    "totalDiscounts" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "tags" TEXT,
    "processedAt" DATETIME,
    "cancelledAt" DATETIME,
    "cancelReason" TEXT,
    "closedAt" DATETIME,
    "shopifyCreatedAt" DATETIME NOT NULL,
    "shopifyUpdatedAt" DATETIME NOT NULL,
    "redactedAt" DATETIME,
    "raw" JSONB,
    "syncedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "syncedBy" TEXT NOT NULL DEFAULT 'sync',

    PRIMARY KEY ("storeId", "shopifyId"),
    CONSTRAINT "shopify_orders_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_order_line_items" (
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
    "raw" JSONB,

    PRIMARY KEY ("storeId", "shopifyId"),
    CONSTRAINT "shopify_order_line_items_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "shopify_order_line_items_storeId_orderId_fkey" FOREIGN KEY ("storeId", "orderId") REFERENCES "shopify_orders" ("storeId", "shopifyId") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_webhook_events" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" INTEGER,
    "shop" TEXT NOT NULL,
    "webhookId" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "eventId" TEXT,
    "triggeredAt" DATETIME,
    "apiVersion" TEXT,
    "headers" JSONB,
    "rawBody" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'received',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "lastError" TEXT,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "processedAt" DATETIME,
    CONSTRAINT "shopify_webhook_events_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "shopify_sync_jobs" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "storeId" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "resource" TEXT NOT NULL,
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "status" TEXT NOT NULL DEFAULT 'queued',
    "doneCount" INTEGER NOT NULL DEFAULT 0,
    "totalCount" INTEGER,
    "costSpent" INTEGER NOT NULL DEFAULT 0,
    "checkpoint" JSONB,
    "error" TEXT,
    "startedAt" DATETIME,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "shopify_sync_jobs_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "Session_shop_idx" ON "Session"("shop");

-- CreateIndex
CREATE UNIQUE INDEX "shopify_stores_shop_key" ON "shopify_stores"("shop");

-- CreateIndex
CREATE INDEX "shopify_products_storeId_shopifyUpdatedAt_idx" ON "shopify_products"("storeId", "shopifyUpdatedAt");

-- CreateIndex
CREATE INDEX "shopify_products_storeId_title_idx" ON "shopify_products"("storeId", "title");

-- CreateIndex
CREATE INDEX "shopify_products_storeId_status_idx" ON "shopify_products"("storeId", "status");

-- CreateIndex
CREATE INDEX "shopify_product_variants_storeId_productId_idx" ON "shopify_product_variants"("storeId", "productId");

-- CreateIndex
CREATE INDEX "shopify_product_variants_storeId_sku_idx" ON "shopify_product_variants"("storeId", "sku");

-- CreateIndex
CREATE INDEX "shopify_product_variants_storeId_inventoryItemId_idx" ON "shopify_product_variants"("storeId", "inventoryItemId");

-- CreateIndex
CREATE INDEX "shopify_inventory_levels_storeId_locationId_idx" ON "shopify_inventory_levels"("storeId", "locationId");

-- CreateIndex
CREATE INDEX "shopify_orders_storeId_shopifyCreatedAt_idx" ON "shopify_orders"("storeId", "shopifyCreatedAt");

-- CreateIndex
CREATE INDEX "shopify_orders_storeId_shopifyUpdatedAt_idx" ON "shopify_orders"("storeId", "shopifyUpdatedAt");

-- CreateIndex
CREATE INDEX "shopify_orders_storeId_financialStatus_shopifyCreatedAt_idx" ON "shopify_orders"("storeId", "financialStatus", "shopifyCreatedAt");

-- CreateIndex
CREATE INDEX "shopify_orders_storeId_fulfillmentStatus_shopifyCreatedAt_idx" ON "shopify_orders"("storeId", "fulfillmentStatus", "shopifyCreatedAt");

-- CreateIndex
CREATE INDEX "shopify_orders_storeId_customerId_idx" ON "shopify_orders"("storeId", "customerId");

-- CreateIndex
CREATE INDEX "shopify_order_line_items_storeId_orderId_idx" ON "shopify_order_line_items"("storeId", "orderId");

-- CreateIndex
CREATE INDEX "shopify_order_line_items_storeId_variantId_idx" ON "shopify_order_line_items"("storeId", "variantId");

-- CreateIndex
CREATE INDEX "shopify_webhook_events_storeId_status_receivedAt_idx" ON "shopify_webhook_events"("storeId", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "shopify_webhook_events_storeId_topic_receivedAt_idx" ON "shopify_webhook_events"("storeId", "topic", "receivedAt");

-- CreateIndex
CREATE UNIQUE INDEX "shopify_webhook_events_shop_webhookId_key" ON "shopify_webhook_events"("shop", "webhookId");

-- CreateIndex
CREATE INDEX "shopify_sync_jobs_storeId_createdAt_idx" ON "shopify_sync_jobs"("storeId", "createdAt");

-- CreateIndex
CREATE INDEX "shopify_sync_jobs_storeId_status_idx" ON "shopify_sync_jobs"("storeId", "status");

