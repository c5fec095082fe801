// One headline number with its label.
export function Figure({ label, value, testId }: { label: string; value: string | number; testId: string }) {
  return (
    <div className="card">
      <div className="figure" data-testid={testId}>
        {value}
      </div>
      <div className="label">{label}</div>
    </div>
  );
}
