// Serves bulk-operation results on their signed URLs (GET), streaming the JSONL file.
import { createReadStream, existsSync } from "node:fs";
import type { FastifyPluginAsync } from "fastify";
import type { Clock } from "../clock";
import type { Faults } from "../faults";
import { seqOf } from "../state/ids";
import type { Store } from "../state/store";
import { RESULT_PATH_PREFIX, type BulkRunner } from "./runner";
import { expired, gcsErrorXml, verifyUrl, type UrlCheck } from "./signed-url";

export interface BulkRoutesOptions {
  store: Store;
  runner: BulkRunner;
  clock: Clock;
  faults: Faults;
  urlSecret: string;
}

export const bulkResultRoutes: FastifyPluginAsync<BulkRoutesOptions> = async (fastify, o) => {
  fastify.get<{ Params: { shop: string; file: string }; Querystring: Record<string, string> }>(
    `${RESULT_PATH_PREFIX}/:shop/:file`,
    async (request, reply) => {
      const deny = (check: Extract<UrlCheck, { ok: false }>) =>
        reply.code(check.status).type("application/xml; charset=UTF-8").send(gcsErrorXml(check));
      const path = request.url.split("?")[0]!;
      const check = verifyUrl(decodeURIComponent(path), request.query, o.urlSecret, o.clock.now());
      if (!check.ok) return deny(check);
      if (o.faults.settings(request.params.shop).expiredBulkUrls)
        return deny(expired(o.clock.now() - 1000) as Extract<UrlCheck, { ok: false }>);
      const m = /^(\d+)(-partial)?\.jsonl$/.exec(request.params.file);
      const shop = o.store.getShop(request.params.shop);
      const seq = m && shop ? seqOf("BulkOperation", shop.no, BigInt(m[1]!)) : undefined;
      const op = seq !== undefined ? shop?.bulkOperations[seq] : undefined;
      if (!op?.filePath || !existsSync(op.filePath))
        return deny({ ok: false, status: 404, code: "NoSuchKey", message: "The specified key does not exist." });
      return reply
        .header("content-type", "application/jsonl")
        .header("content-length", String(op.fileSize ?? 0))
        .send(createReadStream(op.filePath));
    },
  );
};
