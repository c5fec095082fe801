import Link from "next/link";

const TABS = [
  { href: "/constitution", label: "Policy" },
  { href: "/constitution/specs", label: "Specs" },
  { href: "/constitution/dry-run", label: "Dry run" },
];

export function ConstitutionTabs({ current }: { current: string }) {
  return (
    <nav className="tabs" aria-label="Constitution">
      {TABS.map((t) => (
        <Link key={t.href} href={t.href} aria-current={t.href === current ? "page" : undefined}>
          {t.label}
        </Link>
      ))}
    </nav>
  );
}
