// The markers Postgres puts around matched words in knowledge-base snippets (ts_headline): unlikely
// in documents, turned into <mark> by the page. A module of its own so the browser bundle that
// renders them imports nothing from the server.
export const HIGHLIGHT_START = "\u27e6";
export const HIGHLIGHT_END = "\u27e7";
