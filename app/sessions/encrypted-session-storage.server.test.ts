// Tokens at rest: the raw database row never holds a plaintext token, and keys rotate.
import { Session } from "@shopify/shopify-api";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import { describe, expect, it } from "vitest";
import { db } from "~/db.server";
import { EncryptedSessionStorage } from "./encrypted-session-storage.server";
import { TokenCipher } from "./token-cipher.server";

const k1 = { id: "k1", key: Buffer.alloc(32, 11) };
const k2 = { id: "k2", key: Buffer.alloc(32, 22) };

function storageWith(...keys: Array<typeof k1>) {
  return new EncryptedSessionStorage(new PrismaSessionStorage(db), new TokenCipher(keys));
}

function offlineSession(shop: string, accessToken: string, refreshToken: string) {
  return new Session({
    id: `offline_${shop}`,
    shop,
    state: "state",
    isOnline: false,
    scope: "read_products,read_orders",
    accessToken,
    refreshToken,
    expires: new Date(Date.now() + 3_600_000),
    refreshTokenExpires: new Date(Date.now() + 90 * 86_400_000),
  });
}

async function rawRow(id: string) {
  // Read the row as the database has it, bypassing the session storage.
  const rows = await db.$queryRaw<Array<{ accessToken: string; refreshToken: string | null }>>`
    SELECT "accessToken", "refreshToken" FROM "Session" WHERE "id" = ${id}`;
  expect(rows).toHaveLength(1);
  return rows[0] as { accessToken: string; refreshToken: string | null };
}

describe("EncryptedSessionStorage", () => {
  it("stores no plaintext token in the database row and loads the tokens back", async () => {
    const storage = storageWith(k1);
    const session = offlineSession("raw-row.myshopify.com", "shpat_plain_access_1234", "shprt_plain_refresh_5678");
    await storage.storeSession(session);

    const row = await rawRow(session.id);
    expect(row.accessToken).not.toContain("shpat_plain_access_1234");
    expect(row.refreshToken).not.toContain("shprt_plain_refresh_5678");
    expect(row.accessToken).toMatch(/^v1\.k1\./);
    expect(row.refreshToken).toMatch(/^v1\.k1\./);

    const loaded = await storage.loadSession(session.id);
    expect(loaded?.accessToken).toBe("shpat_plain_access_1234");
    expect(loaded?.refreshToken).toBe("shprt_plain_refresh_5678");
    expect(loaded?.shop).toBe("raw-row.myshopify.com");
    const [byShop] = await storage.findSessionsByShop("raw-row.myshopify.com");
    expect(byShop?.accessToken).toBe("shpat_plain_access_1234");
  });

  it("rotates keys: old rows still decrypt, new writes use the newest key", async () => {
    const old = offlineSession("rotation.myshopify.com", "shpat_before_rotation", "shprt_before_rotation");
    await storageWith(k1).storeSession(old);

    const rotated = storageWith(k1, k2);
    expect((await rotated.loadSession(old.id))?.accessToken).toBe("shpat_before_rotation");

    await rotated.storeSession(offlineSession("rotation.myshopify.com", "shpat_after_rotation", "shprt_after"));
    const row = await rawRow(old.id);
    expect(row.accessToken).toMatch(/^v1\.k2\./);
    expect(row.accessToken).not.toContain("shpat_after_rotation");

    // Once every row is rewritten, the old key can go.
    expect((await storageWith(k2).loadSession(old.id))?.accessToken).toBe("shpat_after_rotation");
  });

  it("treats a row whose key was removed as no session (token exchange replaces it)", async () => {
    const session = offlineSession("removed-key.myshopify.com", "shpat_x", "shprt_x");
    await storageWith(k1).storeSession(session);
    await expect(storageWith(k2).loadSession(session.id)).resolves.toBeUndefined();
    // The row is still there for a storage that has the key.
    expect((await storageWith(k1).loadSession(session.id))?.accessToken).toBe("shpat_x");
  });
});
