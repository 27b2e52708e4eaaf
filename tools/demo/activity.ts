// Store activity for the demo (`npm run demo -- --activity`): through the emulator's control API,
// customers place orders (some paid, now and then one cancelled) and the merchant changes stock and
// prices. Every change reaches the app as Shopify's webhooks, so the dashboard moves.
import type { Stack } from "./stack";

export interface StoreSnapshot {
  products: Array<{
    id: string;
    title: string;
    variants: Array<{ id: string; price: string; inventoryItemId: string }>;
  }>;
  locations: Array<{ id: string }>;
  orders: Array<{ id: string }>;
}

/** Deterministic enough for a demo, small and dependency-free. */
function random(seed: number) {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export async function loadStore(stack: Stack): Promise<StoreSnapshot> {
  return stack.control<StoreSnapshot>(`/shops/${stack.shop}/store`);
}

/** Runs until `signal` aborts: one store event every `everyMs` on average. */
export async function runActivity(
  stack: Stack,
  { everyMs = 1500, signal, log }: { everyMs?: number; signal: AbortSignal; log: (line: string) => void },
): Promise<void> {
  const store = await loadStore(stack);
  const variants = store.products.flatMap((p) => p.variants.map((v) => ({ ...v, product: p })));
  const placed: string[] = [];
  const next = random(Date.now());
  const pick = <T>(list: T[]): T => list[Math.floor(next() * list.length)]!;
  const shop = encodeURIComponent(stack.shop);
  let events = 0;
  while (!signal.aborted) {
    const roll = next();
    try {
      if (roll < 0.55) {
        const lines = Array.from({ length: 1 + Math.floor(next() * 3) }, () => ({
          variantId: pick(variants).id,
          quantity: 1 + Math.floor(next() * 2),
        }));
        const order = await stack.control<{ id: string; name?: string }>(`/shops/${shop}/orders`, {
          body: { lineItems: lines, financialStatus: next() < 0.8 ? "PAID" : "PENDING", taxRate: 0.08 },
        });
        placed.push(order.id);
        log(`  order ${order.name ?? order.id} placed (${lines.length} line${lines.length > 1 ? "s" : ""})`);
      } else if (roll < 0.85) {
        const variant = pick(variants);
        const delta = Math.floor(next() * 21) - 5;
        await stack.control(`/shops/${shop}/inventory`, {
          body: { inventoryItemId: variant.inventoryItemId, locationId: pick(store.locations).id, delta },
        });
        log(`  stock of ${variant.product.title} ${delta >= 0 ? "+" : ""}${delta}`);
      } else if (roll < 0.95) {
        const variant = pick(variants);
        const price = (Number(variant.price) * (0.9 + next() * 0.2)).toFixed(2);
        await stack.control(`/shops/${shop}/products/${variant.product.id}`, {
          method: "PATCH",
          body: { variants: [{ id: variant.id, price }] },
        });
        variant.price = price;
        log(`  price of ${variant.product.title} → ${price}`);
      } else if (placed.length > 0) {
        const id = placed.splice(Math.floor(next() * placed.length), 1)[0]!;
        await stack.control(`/shops/${shop}/orders/${encodeURIComponent(id)}/cancel`, {
          body: { reason: "CUSTOMER", restock: true },
        });
        log(`  order ${id} cancelled`);
      }
      events++;
    } catch (error) {
      if (signal.aborted) break;
      log(`  activity: ${error instanceof Error ? error.message : String(error)}`);
    }
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, everyMs * (0.5 + next()));
      signal.addEventListener("abort", () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  log(`  activity stopped after ${events} events`);
}
