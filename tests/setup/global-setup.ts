import type { TestProject } from "vitest/node";
import { createBaseDatabase, dropBaseDatabase } from "../support/test-database";

declare module "vitest" {
  export interface ProvidedContext {
    baseDatabaseUrl: string;
  }
}

export default async function setup(project: TestProject) {
  const baseDatabaseUrl = await createBaseDatabase(process.env.DATABASE_URL);
  project.provide("baseDatabaseUrl", baseDatabaseUrl);
  return async () => {
    await dropBaseDatabase(baseDatabaseUrl);
  };
}
