import { permittedProcedure, router } from "../init";
import { serviceCaller } from "../caller";
import { addDocumentSchema, addFromUrlSchema, documentIdSchema, listDocumentsSchema, searchKnowledgeSchema } from "@/server/research/schemas";
import { addDocument, listDocuments, removeDocument, searchKnowledge } from "@/server/research/knowledge-base";
import { fetchUrlText } from "@/server/research/fetch-text";

export const knowledgeRouter = router({
  list: permittedProcedure("knowledge:read")
    .input(listDocumentsSchema)
    .query(({ ctx, input }) => listDocuments(ctx.db, ctx.tenant.id, input)),
  search: permittedProcedure("knowledge:read", { rateClass: "research" })
    .input(searchKnowledgeSchema)
    .query(({ ctx, input }) => searchKnowledge(ctx.db, ctx.tenant.id, input.query, input.limit)),
  add: permittedProcedure("knowledge:write")
    .input(addDocumentSchema)
    .mutation(({ ctx, input }) => addDocument(ctx.db, serviceCaller(ctx), ctx.tenant.id, input)),
  /** Fetches the page's text (operators only: the server makes the request) and stores it. */
  addFromUrl: permittedProcedure("knowledge:write", { rateClass: "research" })
    .input(addFromUrlSchema)
    .mutation(async ({ ctx, input }) => {
      const fetched = await fetchUrlText(input.url);
      return addDocument(ctx.db, serviceCaller(ctx), ctx.tenant.id, {
        title: input.title || fetched.title || input.url,
        body: fetched.text,
        format: /markdown/i.test(fetched.contentType) ? "markdown" : "text",
        sourceUrl: input.url,
      });
    }),
  remove: permittedProcedure("knowledge:write")
    .input(documentIdSchema)
    .mutation(({ ctx, input }) => removeDocument(ctx.db, serviceCaller(ctx), ctx.tenant.id, input.documentId)),
});
