// Session storage that keeps access and refresh tokens encrypted at rest. It wraps the library's
// PrismaSessionStorage (which owns the row mapping) and only transforms the two secret fields on the
// way in and out, so the library's behaviour is otherwise unchanged.
import { Session } from "@shopify/shopify-api";
import type { SessionStorage } from "@shopify/shopify-app-session-storage";
import type { TokenCipher } from "./token-cipher.server";

export class EncryptedSessionStorage implements SessionStorage {
  constructor(
    private readonly inner: SessionStorage,
    private readonly cipher: TokenCipher,
  ) {}

  storeSession(session: Session): Promise<boolean> {
    return this.inner.storeSession(this.transform(session, (token) => this.cipher.encrypt(token)));
  }

  async loadSession(id: string): Promise<Session | undefined> {
    const stored = await this.inner.loadSession(id);
    return stored && this.transform(stored, (token) => this.cipher.decrypt(token));
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
