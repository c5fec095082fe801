// A tenant's research setup: its provider order, fan-out, cache TTL, credibility lists and its own
// provider credentials (decrypted here, server-side only), over the environment's defaults.
import type { Db } from "@/server/db/client";
import { withAudit, type AuditActor } from "@/server/audit/service";
import { open, seal } from "@/server/security/secret-box";
import { researchEnv } from "./config";
import { PROVIDER_IDS, type ProviderId, type SearchProvider } from "./providers/types";
import { bing, brave, duckduckgo, google, searxng } from "./providers/web-providers";
import type { CredibilityRules } from "./ranking";

export type WebProviderId = Exclude<ProviderId, "local">;

export interface TenantResearch {
  chain: ProviderId[];
  fanOut: number;
  cacheTtlSeconds: number;
  credibility: CredibilityRules;
  /** Where each web provider's configuration comes from, and how to build it. */
  providers: Partial<Record<WebProviderId, { source: "tenant" | "environment"; make: () => SearchProvider; quotaPerMinute: number | undefined }>>;
}

interface Credential {
  endpoint: string | null;
  engineId: string | null;
  secret: string | null;
}

function fromCredential(id: WebProviderId, c: Credential): (() => SearchProvider) | null {
  const key = c.secret ?? undefined;
  const base = c.endpoint ?? undefined;
  switch (id) {
    case "searxng":
      return base ? () => searxng({ baseUrl: base }) : null;
    case "brave":
      return key ? () => brave({ apiKey: key, baseUrl: base }) : null;
    case "google":
      return key && c.engineId ? () => google({ apiKey: key, cx: c.engineId!, baseUrl: base }) : null;
    case "duckduckgo":
      return () => duckduckgo({ baseUrl: base });
    case "bing":
      return key && base ? () => bing({ apiKey: key, baseUrl: base }) : null;
  }
}

export async function loadTenantResearch(db: Db, tenantId: string): Promise<TenantResearch> {
  const env = researchEnv();
  const [settings, credentials] = await Promise.all([
    db.researchSettings.findUnique({ where: { tenantId } }),
    db.providerCredential.findMany({ where: { tenantId } }),
  ]);
  const providers: TenantResearch["providers"] = {};
  for (const [id, make] of Object.entries(env.web) as [WebProviderId, () => SearchProvider][]) {
    providers[id] = { source: "environment", make, quotaPerMinute: env.quotas[id] };
  }
  for (const c of credentials) {
    const id = c.provider as WebProviderId;
    const make = fromCredential(id, { endpoint: c.endpoint, engineId: c.engineId, secret: c.secretEncrypted ? open(c.secretEncrypted) : null });
    if (make) providers[id] = { source: "tenant", make, quotaPerMinute: env.quotas[id] };
  }
  const requested: ProviderId[] = settings?.chain.length
    ? settings.chain.filter((p): p is ProviderId => (PROVIDER_IDS as readonly string[]).includes(p))
    : ["local", "searxng", "brave", "google", "duckduckgo", "bing"];
  const chain = settings?.chain.length ? requested.filter((id) => id === "local" || id in providers) : env.chain.filter((id) => id === "local" || id in providers);
  return {
    chain: chain.length ? chain : ["local"],
    fanOut: settings?.fanOut ?? 0,
    cacheTtlSeconds: settings?.cacheTtlSeconds ?? env.cacheTtlSeconds,
    credibility: {
      allow: settings?.allowDomains ?? [],
      deny: settings?.denyDomains ?? [],
      weights: Object.fromEntries((settings?.domainWeights ?? []).map((e) => [e.split("=")[0]!.toLowerCase(), Number(e.split("=")[1])])),
    },
    providers,
  };
}

/** What the dashboard may see: never a secret, only whether one is set. */
export async function researchSettingsView(db: Db, tenantId: string) {
  const [config, settings, credentials] = await Promise.all([
    loadTenantResearch(db, tenantId),
    db.researchSettings.findUnique({ where: { tenantId } }),
    db.providerCredential.findMany({ where: { tenantId } }),
  ]);
  return {
    chain: config.chain,
    requestedChain: settings?.chain ?? [],
    fanOut: config.fanOut,
    cacheTtlSeconds: config.cacheTtlSeconds,
    allowDomains: config.credibility.allow,
    denyDomains: config.credibility.deny,
    domainWeights: settings?.domainWeights ?? [],
    providers: (PROVIDER_IDS.filter((p) => p !== "local") as WebProviderId[]).map((id) => {
      const c = credentials.find((x) => x.provider === id);
      return {
        id,
        source: config.providers[id]?.source ?? null,
        endpoint: c?.endpoint ?? null,
        engineId: c?.engineId ?? null,
        hasSecret: !!c?.secretEncrypted,
        updatedAt: c?.updatedAt ?? null,
      };
    }),
  };
}

export async function saveResearchSettings(
  db: Db,
  caller: { actor: AuditActor; requestId: string | null },
  tenantId: string,
  input: { chain: ProviderId[]; fanOut: number; cacheTtlSeconds: number; allowDomains: string[]; denyDomains: string[]; domainWeights: string[] },
  now = new Date(),
) {
  return withAudit(db, async (tx) => {
    const row = await tx.researchSettings.upsert({ where: { tenantId }, create: { tenantId, ...input, updatedAt: now }, update: { ...input, updatedAt: now } });
    return {
      result: row,
      audit: { tenantId, actor: caller.actor, action: "research.settings_changed", target: { type: "research_settings", id: tenantId }, summary: { after: input }, requestId: caller.requestId, now },
    };
  });
}

export async function saveProviderCredential(
  db: Db,
  caller: { actor: AuditActor; requestId: string | null },
  tenantId: string,
  input: { provider: WebProviderId; endpoint?: string | null; engineId?: string | null; secret?: string | null },
  now = new Date(),
) {
  const data = {
    endpoint: input.endpoint ?? null,
    engineId: input.engineId ?? null,
    // An omitted secret keeps the stored one; an empty string removes it.
    ...(input.secret === undefined ? {} : { secretEncrypted: input.secret ? seal(input.secret) : null }),
    updatedAt: now,
  };
  return withAudit(db, async (tx) => {
    await tx.providerCredential.upsert({
      where: { tenantId_provider: { tenantId, provider: input.provider } },
      create: { tenantId, provider: input.provider, ...data },
      update: data,
    });
    return {
      result: { provider: input.provider, saved: true },
      audit: {
        tenantId,
        actor: caller.actor,
        action: "research.credentials_changed",
        target: { type: "provider_credential", id: input.provider },
        summary: { after: { endpoint: data.endpoint, engineId: data.engineId, secret: input.secret === undefined ? "unchanged" : input.secret ? "set" : "removed" } },
        requestId: caller.requestId,
        now,
      },
    };
  });
}
