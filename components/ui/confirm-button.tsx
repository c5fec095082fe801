"use client";
// A destructive action that asks first: the question says what will happen, in the domain's words.
import type { ReactNode } from "react";

export function ConfirmButton({
  question,
  onConfirm,
  disabled,
  children,
}: {
  question: string;
  onConfirm: () => void;
  disabled?: boolean;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="danger"
      disabled={disabled}
      onClick={() => window.confirm(question) && onConfirm()}
    >
      {children}
    </button>
  );
}
