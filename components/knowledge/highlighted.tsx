// A search snippet with its matched terms marked, without injecting HTML.
import { HIGHLIGHT_END, HIGHLIGHT_START } from "@/server/research/highlight";

export function Highlighted({ text }: { text: string }) {
  const parts = text.split(HIGHLIGHT_START);
  return (
    <>
      {parts[0]}
      {parts.slice(1).map((part, i) => {
        const [marked, rest] = part.split(HIGHLIGHT_END);
        return (
          <span key={i}>
            <mark>{marked}</mark>
            {rest}
          </span>
        );
      })}
    </>
  );
}
