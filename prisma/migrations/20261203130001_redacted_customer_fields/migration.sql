-- CreateTable
CREATE TABLE "shopify_redacted_fields" (
    "storeId" INTEGER NOT NULL,
    "field" TEXT NOT NULL,
    "firstSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSeenAt" DATETIME NOT NULL,

    PRIMARY KEY ("storeId", "field"),
    CONSTRAINT "shopify_redacted_fields_storeId_fkey" FOREIGN KEY ("storeId") REFERENCES "shopify_stores" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

