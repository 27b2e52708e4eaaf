// public/ in production: the build copies it into build/client, and the production server
// (`npm start`, remix-serve) serves it at the site root; the root document links the favicon.
// On the stack `npm run demo` uses (tools/demo/stack.ts): the built app, no browser needed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startStack, type Stack } from "../../tools/demo/stack";

let stack: Stack;

beforeAll(async () => {
  stack = await startStack({
    products: 1,
    orders: 1,
    databaseFile: "prisma/e2e-public.sqlite",
    logDir: "test-results/e2e-logs/public-assets",
    log: () => undefined,
  });
});

afterAll(async () => {
  await stack?.stop();
});

describe("public/ on the built app", () => {
  it("serves /favicon.ico (a browser asks for it on every page)", async () => {
    const response = await fetch(`${stack.appUrl}/favicon.ico`);
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("image/x-icon");
    // ICO header: reserved 0, type 1 (icon).
    expect([...new Uint8Array(await response.arrayBuffer()).slice(0, 4)]).toEqual([0, 0, 1, 0]);
  });

  it("links it from the root document", async () => {
    const response = await fetch(`${stack.appUrl}/`);
    expect(response.status).toBe(200);
    expect(await response.text()).toMatch(/<link rel="icon" href="\/favicon.ico" type="image\/x-icon"\/>/);
  });
});
