// One migrated throwaway database per test run, dropped at the end.
import type { TestProject } from "vitest/node";
import { createTestDatabase, type TestDatabase } from "./test-database";

let database: TestDatabase | undefined;

export async function setup(project: TestProject) {
  database = await createTestDatabase();
  process.env.DATABASE_URL = database.url;
  project.provide("databaseUrl", database.url);
  console.log(`[tests] database: ${database.kind} (${database.url.replace(/\/\/[^@]*@/, "//")})`);
}

export async function teardown() {
  await database?.drop();
}

declare module "vitest" {
  export interface ProvidedContext {
    databaseUrl: string;
  }
}
