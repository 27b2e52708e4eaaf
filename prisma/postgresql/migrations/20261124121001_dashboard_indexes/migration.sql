-- CreateIndex
CREATE INDEX "shopify_products_storeId_deletedAt_idx" ON "shopify_products"("storeId", "deletedAt");

-- CreateIndex
CREATE INDEX "shopify_inventory_levels_storeId_available_idx" ON "shopify_inventory_levels"("storeId", "available");

-- CreateIndex
CREATE INDEX "shopify_orders_storeId_test_cancelledAt_shopifyCreatedAt_to_idx" ON "shopify_orders"("storeId", "test", "cancelledAt", "shopifyCreatedAt", "totalPriceMinor");

