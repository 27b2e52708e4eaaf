// `npx tsx benchmarks/node-accept-rate.ts`: how many pending connections Node accepts per turn of a
// busy event loop (docs/decisions/0043-ingest-event-loop-turns.md). 800 clients connect at once; the
// loop then runs turns that each keep it busy for 20 ms; after every turn the number of connections
// accepted so far is recorded. Prints one JSON line: Node's and libuv's versions and the counts.
import net from "node:net";

const CLIENTS = 800;
const TURN_MS = 20;
const TURNS = 10;

let accepted = 0;
const server = net.createServer((socket) => {
  accepted += 1;
  socket.on("data", () => undefined);
});
await new Promise<void>((resolve) => server.listen({ port: 0, host: "127.0.0.1", backlog: 4096 }, resolve));
const address = server.address();
const port = typeof address === "object" && address ? address.port : 0;

const clients = Array.from({ length: CLIENTS }, () => net.connect(port, "127.0.0.1"));
const acceptedAfterTurn: number[] = [];
await new Promise<void>((resolve) => {
  const turn = () => {
    const until = performance.now() + TURN_MS;
    while (performance.now() < until); // a turn busy with other work, as ingest's are under load
    acceptedAfterTurn.push(accepted);
    if (acceptedAfterTurn.length < TURNS) setImmediate(turn);
    else resolve();
  };
  setImmediate(turn);
});
process.stdout.write(
  `${JSON.stringify({ node: process.version, libuv: process.versions.uv, clients: CLIENTS, turnMs: TURN_MS, acceptedAfterTurn })}\n`,
);
for (const client of clients) client.destroy();
server.close();
