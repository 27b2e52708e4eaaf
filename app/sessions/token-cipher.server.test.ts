import { describe, expect, it } from "vitest";
import { TokenCipher, TokenDecryptionError } from "./token-cipher.server";

const k1 = { id: "k1", key: Buffer.alloc(32, 1) };
const k2 = { id: "k2", key: Buffer.alloc(32, 2) };

describe("TokenCipher", () => {
  it("round-trips a token and never emits the plaintext", () => {
    const cipher = new TokenCipher([k1]);
    const envelope = cipher.encrypt("shpat_secret_token");
    expect(envelope).not.toContain("shpat_secret_token");
    expect(envelope.startsWith("v1.k1.")).toBe(true);
    expect(cipher.decrypt(envelope)).toBe("shpat_secret_token");
  });

  it("uses a fresh nonce for every encryption", () => {
    const cipher = new TokenCipher([k1]);
    expect(cipher.encrypt("same")).not.toBe(cipher.encrypt("same"));
  });

  it("encrypts with the newest key and still decrypts with older ones", () => {
    const before = new TokenCipher([k1]).encrypt("old-token");
    const rotated = new TokenCipher([k1, k2]);
    expect(rotated.decrypt(before)).toBe("old-token");
    const after = rotated.encrypt("new-token");
    expect(after.startsWith("v1.k2.")).toBe(true);
    expect(rotated.isStale(before)).toBe(true);
    expect(rotated.isStale(after)).toBe(false);
  });

  it("names the missing key when an old key was removed too early", () => {
    const envelope = new TokenCipher([k1]).encrypt("token");
    expect(() => new TokenCipher([k2]).decrypt(envelope)).toThrow(/key "k1", which is not configured/);
  });

  it("rejects tampered ciphertext, a moved key id, and plaintext", () => {
    const cipher = new TokenCipher([k1, k2]);
    const envelope = cipher.encrypt("token");
    const parts = envelope.split(".");
    const tampered = [...parts.slice(0, 4), Buffer.from("x" + parts[4]).toString("base64url")].join(".");
    expect(() => cipher.decrypt(tampered)).toThrow(TokenDecryptionError);
    const moved = ["v1", "k1", ...parts.slice(2)].join(".");
    expect(() => cipher.decrypt(moved)).toThrow(TokenDecryptionError);
    expect(() => cipher.decrypt("shpat_plaintext")).toThrow(/not an encrypted token/);
  });
});
