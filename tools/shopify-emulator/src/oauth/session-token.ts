// App Bridge session tokens (a.k.a. id_token): HS256 JWTs signed with the app's client secret.
// Issued for the admin shell; verified when an app exchanges one for an access token.
import { randomBytes, randomUUID } from "node:crypto";
import { jwtVerify, SignJWT, type JWTPayload } from "jose";

export interface SessionTokenClaims extends JWTPayload {
  iss: string; // https://{shop}/admin
  dest: string; // https://{shop}
  aud: string; // client id
  sub: string; // user id
  exp: number;
  nbf: number;
  iat: number;
  jti: string;
  sid: string;
  sig: string;
}

/** Shopify does not publish its leeway; a few seconds keeps clock skew between processes harmless. */
const VERIFY_CLOCK_TOLERANCE_SECONDS = 5;

export class SessionTokenIssuer {
  /** `sid` identifies the user's admin session for this app; stable per shop and user within a run. */
  private readonly sids = new Map<string, string>();
  private readonly key: Uint8Array;

  constructor(
    private readonly apiKey: string,
    apiSecret: string,
    private readonly lifetimeSeconds: number,
  ) {
    this.key = new TextEncoder().encode(apiSecret);
  }

  async issue(shop: string, userId = "1"): Promise<string> {
    const sidKey = `${shop}\u0000${userId}`;
    let sid = this.sids.get(sidKey);
    if (!sid) {
      sid = randomBytes(16).toString("hex");
      this.sids.set(sidKey, sid);
    }
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      iss: `https://${shop}/admin`,
      dest: `https://${shop}`,
      aud: this.apiKey,
      sub: userId,
      exp: now + this.lifetimeSeconds,
      nbf: now,
      iat: now,
      jti: randomUUID(),
      sid,
      sig: randomBytes(32).toString("hex"),
    })
      .setProtectedHeader({ alg: "HS256", typ: "JWT" })
      .sign(this.key);
  }

  /** Validates like Shopify's token endpoint: signature, algorithm, audience, destination shop, exp/nbf. */
  async verify(
    token: string,
    shop: string,
  ): Promise<{ ok: true; claims: SessionTokenClaims } | { ok: false; error: string }> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ["HS256"],
        audience: this.apiKey,
        clockTolerance: VERIFY_CLOCK_TOLERANCE_SECONDS,
        requiredClaims: ["exp", "dest", "sub"],
      });
      if (payload.dest !== `https://${shop}`) {
        return { ok: false, error: `Session token destination ${String(payload.dest)} does not match shop ${shop}` };
      }
      return { ok: true, claims: payload as SessionTokenClaims };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }
}
