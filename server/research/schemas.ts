// Knowledge base inputs, shared by the router and the Knowledge base page. Pure zod.
import { z } from "zod";
import { PROVIDER_IDS } from "./providers/types";

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

const domain = z.string().trim().toLowerCase().regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, "A domain such as example.com");

export const researchSettingsSchema = z.object({
  chain: z.array(z.enum(PROVIDER_IDS)).min(1, "Keep at least one provider").max(6).refine((c) => new Set(c).size === c.length, "Each provider once"),
  fanOut: z.number().int().min(0).max(6),
  cacheTtlSeconds: z.number().int().min(0, "0 turns caching off").max(7 * 86_400, "At most a week"),
  allowDomains: z.array(domain).max(100).default([]),
  denyDomains: z.array(domain).max(100).default([]),
  /** "domain=weight", weight between 0.1 and 3 (1 = neutral). */
  domainWeights: z
    .array(
      z
        .string()
        .trim()
        .refine((e) => {
          const [d, w] = e.split("=");
          return domain.safeParse(d).success && w !== undefined && /^[0-9.]+$/.test(w) && Number(w) >= 0.1 && Number(w) <= 3;
        }, "domain=weight with a weight between 0.1 and 3, e.g. docs.python.org=1.3"),
    )
    .max(100)
    .default([]),
});

export const providerCredentialSchema = z.object({
  provider: z.enum(["searxng", "brave", "google", "duckduckgo", "bing"]),
  endpoint: z.url("A full http(s) URL").max(2000).nullable().optional(),
  engineId: z.string().trim().max(200).nullable().optional(),
  /** Omit to keep the stored key; an empty string removes it. */
  secret: z.string().max(500).optional(),
});
