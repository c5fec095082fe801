"use client";
// True once React has hydrated in the browser. Buttons that need JavaScript stay disabled until
// then, so an early click can neither do nothing nor submit a form natively (which would put a
// password into the URL).
import { useSyncExternalStore } from "react";

const subscribe = () => () => undefined;

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
}
