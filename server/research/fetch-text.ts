// Fetches a URL's readable text for the knowledge base: http(s) only, a time limit, a size limit,
// and HTML reduced to its text.
import { InvalidInput } from "@/server/errors";

const MAX_BYTES = 2 * 1024 * 1024;
const TIMEOUT_MS = 10_000;

export interface FetchedText {
  title: string | null;
  text: string;
  contentType: string;
}

export async function fetchUrlText(url: string, fetchImpl: typeof fetch = fetch): Promise<FetchedText> {
  let response: Response;
  try {
    response = await fetchImpl(url, { redirect: "follow", signal: AbortSignal.timeout(TIMEOUT_MS), headers: { accept: "text/html, text/plain, text/markdown;q=0.9" } });
  } catch (error) {
    throw new InvalidInput(`Could not fetch ${url}: ${error instanceof Error ? error.message : String(error)}`, { url: ["Could not be fetched"] });
  }
  if (!response.ok) throw new InvalidInput(`Fetching ${url} answered HTTP ${response.status}`, { url: [`HTTP ${response.status}`] });
  const contentType = response.headers.get("content-type") ?? "text/plain";
  if (!/^text\/|html|markdown|json/i.test(contentType)) {
    throw new InvalidInput(`${url} is not text (${contentType})`, { url: ["Not a text document"] });
  }
  const buffer = await response.arrayBuffer();
  if (buffer.byteLength > MAX_BYTES) throw new InvalidInput(`${url} is larger than 2 MiB`, { url: ["Larger than 2 MiB"] });
  const raw = new TextDecoder().decode(buffer);
  return /html/i.test(contentType) ? htmlToText(raw, contentType) : { title: null, text: raw.trim(), contentType };
}

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'", nbsp: " " };

/** Text of an HTML page: scripts, styles and tags removed, block ends as line breaks. */
export function htmlToText(html: string, contentType = "text/html"): FetchedText {
  const title = /<title[^>]*>([^<]*)<\/title>/i.exec(html)?.[1]?.trim() ?? null;
  const text = html
    .replace(/<(script|style|noscript|template)\b[^>]*>[\s\S]*?<\/\1>/gi, " ")
    .replace(/<\/(p|div|li|h[1-6]|tr|section|article|br)>|<br\s*\/?>/gi, "\n")
    .replace(/<[^>]+>/g, " ")
    .replace(/&(#\d+|#x[0-9a-f]+|\w+);/gi, (m, e: string) =>
      e.startsWith("#x") ? String.fromCodePoint(parseInt(e.slice(2), 16)) : e.startsWith("#") ? String.fromCodePoint(Number(e.slice(1))) : (ENTITIES[e.toLowerCase()] ?? m),
    )
    .replace(/[ \t]+/g, " ")
    .replace(/\s*\n\s*/g, "\n")
    .trim();
  return { title: title ? htmlToText(title).text : null, text, contentType };
}
