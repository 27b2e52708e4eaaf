// Session storage that keeps access and refresh tokens encrypted at rest. It wraps the library's
// PrismaSessionStorage (which owns the row mapping) and only transforms the two secret fields on the
// way in and out, so the library's behaviour is otherwise unchanged.
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import { logger } from "~/observability/logger.server";
import { TokenDecryptionError, type TokenCipher } from "./token-cipher.server";

export class EncryptedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly cipher: TokenCipher,
  ) {}

  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.transform(session, (token) => this.cipher.encrypt(token)));
  }

  /**
   * A session whose tokens no configured key can decrypt (its key was removed too early) is treated
   * as absent: the library then obtains new tokens through token exchange on the merchant's next
   * visit, instead of every request and webhook for that shop failing.
   */
  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    if (!stored) return undefined;
    try {
      return this.transform(stored, (token) => this.cipher.decrypt(token));
    } catch (error) {
      if (!(error instanceof TokenDecryptionError)) throw error;
      logger.warn({ sessionId: id, shop: stored.shop, reason: error.message }, "session:undecryptable");
      return undefined;
    }
  }

  deleteSession(id: string): Promise<boolean> {
    return this.inner.deleteSession(id);
  }

  deleteSessions(ids: string[]): Promise<boolean> {
    return this.inner.deleteSessions(ids);
  }

  async findSessionsByShop(shop: string): Promise<Session[]> {
    const stored = await this.inner.findSessionsByShop(shop);
    return stored.map((session) => this.transform(session, (token) => this.cipher.decrypt(token)));
  }

  private transform(session: Session, apply: (token: string) => string): Session {
    const copy = new Session(session.toObject());
    if (session.accessToken) copy.accessToken = apply(session.accessToken);
    if (session.refreshToken) copy.refreshToken = apply(session.refreshToken);
    return copy;
  }
}
