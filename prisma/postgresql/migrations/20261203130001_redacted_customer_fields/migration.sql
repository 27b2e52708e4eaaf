-- CreateTable
CREATE TABLE "shopify_redacted_fields" (
    "storeId" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "firstSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "shopify_redacted_fields_pkey" PRIMARY KEY ("storeId","field")
);

-- AddForeignKey
ALTER TABLE "shopify_redacted_fields" ADD CONSTRAINT "shopify_redacted_fields_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores"("id") ON DELETE CASCADE ON UPDATE CASCADE;

