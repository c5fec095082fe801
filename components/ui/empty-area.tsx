// An area whose capability has not been built yet: it says so plainly and shows no invented data.
export function EmptyArea({ title, purpose }: { title: string; purpose: string }) {
  return (
    <>
      <h1>{title}</h1>
      <div className="empty" role="note">
        <p>
          <strong>Nothing here yet.</strong> {purpose}
        </p>
        <p>This area is not available in this version of Arbiter; no data is shown until it is.</p>
      </div>
    </>
  );
}
