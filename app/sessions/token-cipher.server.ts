// AES-256-GCM for access and refresh tokens at rest. Node's crypto does the cryptography; this module
// only fixes the envelope, `v1.<keyId>.<iv>.<tag>.<ciphertext>` (base64url parts), so a row says
// which key wrote it and keys can be rotated: encrypt with the newest key, decrypt with any.
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface TokenKey {
  id: string;
  key: Buffer; // 32 bytes
}

const VERSION = "v1";
const IV_BYTES = 12; // GCM's standard nonce size
const TAG_BYTES = 16;

export class TokenDecryptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenDecryptionError";
  }
}

export class TokenCipher {
  private readonly keysById: Map<string, Buffer>;
  private readonly current: TokenKey;

  constructor(keys: TokenKey[]) {
    const newest = keys.at(-1);
    if (!newest) throw new Error("TokenCipher needs at least one key");
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`token key "${id}" must be 32 bytes`);
    }
    this.current = newest;
    this.keysById = new Map(keys.map(({ id, key }) => [id, key]));
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv("aes-256-gcm", this.current.key, iv);
    // The key id is authenticated too: a ciphertext moved under another key id fails to decrypt.
    cipher.setAAD(Buffer.from(this.current.id));
    const ciphertext = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return [VERSION, this.current.id, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === "string" ? part : part.toString("base64url")))
      .join(".");
  }

  decrypt(envelope: string): string {
    const [version, keyId, iv, tag, ciphertext, ...rest] = envelope.split(".");
    if (version !== VERSION || !keyId || !iv || !tag || ciphertext === undefined || rest.length) {
      throw new TokenDecryptionError("not an encrypted token (expected v1.<keyId>.<iv>.<tag>.<data>)");
    }
    const key = this.keysById.get(keyId);
    if (!key) {
      throw new TokenDecryptionError(`token was encrypted with key "${keyId}", which is not configured`);
    }
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    try {
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, "base64url")), decipher.final()]).toString("utf8");
    } catch {
      throw new TokenDecryptionError(`token failed authentication under key "${keyId}"`);
    }
  }

  /** Whether a stored envelope was written with an older key (a rotation job can re-encrypt it). */
  isStale(envelope: string): boolean {
    return envelope.split(".")[1] !== this.current.id;
  }
}
