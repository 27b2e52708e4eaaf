// True once React has hydrated the page; false on the server and during hydration itself, so what is
// rendered with it matches the server's HTML and changes only after. useSyncExternalStore's server
// snapshot is what React uses while hydrating (https://react.dev/reference/react/useSyncExternalStore).
import { useSyncExternalStore } from "react";

const subscribeToNothing = () => () => undefined;

export function useHydrated(): boolean {
  return useSyncExternalStore(
    subscribeToNothing,
    () => true,
    () => false,
  );
}
