// A PostgreSQL server of the test's own: initdb in a temporary folder, on a free port, so a test may
// stop and restart it without touching anyone else's database. The binaries are on every machine of
// this project (CI included): when they are missing this throws, it does not skip.
import { execFileSync } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export interface PrivatePostgres {
  url: string;
  start(): void;
  /** `pg_ctl stop -m immediate`: like pulling the plug (no clean shutdown, connections dropped). */
  stopImmediately(): void;
  /**
   * SIGSTOP to the server and every backend: a stall, not an outage — connections stay open, nothing
   * answers (a database host swapping, a network that drops packets).
   */
  pause(): void;
  /** SIGCONT: the stalled server carries on where it stopped. */
  resume(): void;
  /** `prisma migrate deploy` against it. */
  migrate(): void;
  /** One query on a connection of its own. */
  query<T extends pg.QueryResultRow>(sql: string, values?: unknown[]): Promise<T[]>;
  destroy(): void;
}

function binDir(): string {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const dir = path.join(root, version, "bin");
    if (existsSync(path.join(dir, "initdb")) && existsSync(path.join(dir, "pg_ctl"))) return dir;
  }
  throw new Error(
    "PostgreSQL server binaries (initdb, pg_ctl) not found under /usr/lib/postgresql/*/bin: install the " +
      "postgresql package; this test needs a server of its own to stop and restart.",
  );
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => resolve(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const bin = binDir();
  const dir = mkdtempSync(path.join(tmpdir(), "shop-sync-pg-"));
  const dataDir = path.join(dir, "data");
  // initdb refuses to run as root: run the server binaries as the postgres user, who owns the folder.
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const uid = Number(execFileSync("id", ["-u", "postgres"]).toString().trim());
    const gid = Number(execFileSync("id", ["-g", "postgres"]).toString().trim());
    chownSync(dir, uid, gid);
  }
  const run = (binary: string, args: string[]) =>
    execFileSync(
      asRoot ? "runuser" : path.join(bin, binary),
      asRoot ? ["-u", "postgres", "--", path.join(bin, binary), ...args] : args,
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
  const port = await freePort();
  run("initdb", ["-D", dataDir, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60`;
  const start = () => run("pg_ctl", ["-D", dataDir, "-o", options, "-l", path.join(dir, "server.log"), "-w", "start"]);
  start();
  /** The postmaster (first line of postmaster.pid) and its children, read from /proc. */
  const serverPids = (): number[] => {
    const postmaster = Number(readFileSync(path.join(dataDir, "postmaster.pid"), "utf8").split("\n")[0]);
    const children = readdirSync("/proc")
      .filter((entry) => /^\d+$/.test(entry))
      .filter((pid) => {
        try {
          // /proc/<pid>/stat: "pid (comm) state ppid …"; comm may hold spaces, so read after ") ".
          const ppid = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ")[1];
          return Number(ppid) === postmaster;
        } catch {
          return false; // exited meanwhile
        }
      })
      .map(Number);
    return [postmaster, ...children];
  };
  const url = `postgresql://postgres@127.0.0.1:${port}/postgres`;
  return {
    url,
    migrate: () =>
      execFileSync("npx", ["--no-install", "prisma", "migrate", "deploy"], {
        env: { ...process.env, DATABASE_URL: url },
        stdio: ["ignore", "ignore", "inherit"],
      }),
    query: async <T extends pg.QueryResultRow>(sql: string, values: unknown[] = []) => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      try {
        return (await client.query<T>(sql, values)).rows;
      } finally {
        await client.end();
      }
    },
    start,
    stopImmediately: () => run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]),
    pause: () => serverPids().forEach((pid) => process.kill(pid, "SIGSTOP")),
    resume: () => serverPids().forEach((pid) => process.kill(pid, "SIGCONT")),
    destroy: () => {
      try {
        serverPids().forEach((pid) => process.kill(pid, "SIGCONT"));
      } catch {
        // not running
      }
      try {
        run("pg_ctl", ["-D", dataDir, "-m", "immediate", "-w", "stop"]);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
