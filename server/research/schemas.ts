// Knowledge base inputs, shared by the router and the Knowledge base page. Pure zod.
import { z } from "zod";

export const addDocumentSchema = z.object({
  title: z.string().trim().min(1, "Give the document a title").max(300, "At most 300 characters"),
  body: z.string().trim().min(1, "Paste the text").max(1_000_000, "At most 1,000,000 characters"),
  format: z.enum(["text", "markdown"]).default("text"),
  sourceUrl: z.url("A full http(s) URL").max(2000).optional(),
});

export const addFromUrlSchema = z.object({
  url: z
    .url("A full http(s) URL")
    .max(2000)
    .refine((u) => /^https?:\/\//i.test(u), "Only http and https URLs"),
  title: z.string().trim().max(300).optional(),
});

export const searchKnowledgeSchema = z.object({
  query: z.string().trim().min(1, "Type something to search for").max(500),
  limit: z.number().int().min(1).max(50).default(10),
});

export const listDocumentsSchema = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(25),
});

export const documentIdSchema = z.object({ documentId: z.string().min(1).max(64) });
