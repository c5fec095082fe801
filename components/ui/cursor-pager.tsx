"use client";
// "Back to the start" and "next page" for cursor-paginated tables whose cursor lives in the URL.
export function CursorPager({
  cursor,
  nextCursor,
  navigate,
  firstLabel = "Newest",
  nextLabel = "Older",
}: {
  cursor: string | undefined;
  nextCursor: string | null | undefined;
  navigate: (next: Record<string, string | undefined>) => void;
  firstLabel?: string;
  nextLabel?: string;
}) {
  return (
    <div className="pager">
      {cursor ? (
        <button type="button" className="secondary" onClick={() => navigate({ cursor: undefined })}>
          {firstLabel}
        </button>
      ) : null}
      {nextCursor ? (
        <button type="button" className="secondary" onClick={() => navigate({ cursor: nextCursor })}>
          {nextLabel}
        </button>
      ) : null}
    </div>
  );
}
