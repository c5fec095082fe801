// Headers every response carries: pages get them through next.config.mjs, the API through
// server/http/serve.mjs. (Pages also get a per-request CSP with a nonce from proxy.ts.)

/** @type {{ key: string; value: string }[]} */
export const securityHeaders = [
  { key: "X-Content-Type-Options", value: "nosniff" },
  { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
  { key: "X-Frame-Options", value: "DENY" },
  { key: "Content-Security-Policy", value: "frame-ancestors 'none'" },
];
