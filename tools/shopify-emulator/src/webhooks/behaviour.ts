// Test switches that make delivery as unreliable as Shopify says it may be: duplicates, reordering,
// delay and loss. Set globally or per shop (per-shop fields override global ones).
import { z } from "zod";

export const behaviourSchema = z.object({
  /** Deliver each delivery this many times in total (same X-Shopify-Webhook-Id, as real duplicates). */
  duplicate: z.number().int().min(1).max(100).optional(),
  /** Hold deliveries until `reorder` of them are waiting (or reorderMaxWaitMs passed), then send the
   * batch in shuffled order. */
  reorder: z.number().int().min(2).max(10_000).optional(),
  reorderMaxWaitMs: z.number().int().min(0).optional(),
  /** Milliseconds before the first attempt (not scaled by timeScale). */
  delayMs: z.number().int().min(0).optional(),
  /** Fraction of deliveries lost for good before the first attempt (0..1). */
  drop: z.number().min(0).max(1).optional(),
  /** Seed for the shuffle and drop dice, for reproducible runs. */
  seed: z.number().int().optional(),
});
export type Behaviour = z.infer<typeof behaviourSchema>;

/** mulberry32: tiny, fast, good enough for test dice. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export class BehaviourSwitches {
  private global: Behaviour = {};
  private readonly perShop = new Map<string, Behaviour>();
  private readonly randoms = new Map<string, () => number>();

  set(shop: string | undefined, behaviour: Behaviour, replace = false): void {
    const key = shop ?? "*";
    if (shop) this.perShop.set(shop, replace ? behaviour : { ...this.perShop.get(shop), ...behaviour });
    else this.global = replace ? behaviour : { ...this.global, ...behaviour };
    this.randoms.delete(key);
  }

  reset(shop?: string): void {
    if (shop) this.perShop.delete(shop);
    else {
      this.global = {};
      this.perShop.clear();
    }
    this.randoms.clear();
  }

  for(shop: string): Behaviour {
    const own = this.perShop.get(shop);
    return own ? { ...this.global, ...own } : this.global;
  }

  random(shop: string): () => number {
    const key = this.perShop.has(shop) ? shop : "*";
    let random = this.randoms.get(key);
    if (!random) {
      const seed = this.for(shop).seed;
      random = seed === undefined ? Math.random : seededRandom(seed);
      this.randoms.set(key, random);
    }
    return random;
  }

  describe() {
    return { global: this.global, shops: Object.fromEntries(this.perShop) };
  }
}
