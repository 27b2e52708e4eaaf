// App Bridge's <Modal> (a <ui-modal> element whose content React portals into the element's own
// container), rendered only once the page is hydrated. Server-rendered, the <ui-modal> element is
// upgraded by the App Bridge script while the HTML is still being parsed, before React hydrates, and
// whatever it does to the DOM then (move its title bar, add its container) is a difference from the
// server's markup: React error #418 and a page re-rendered from scratch. A modal is only opened by a
// click, which cannot happen before hydration, so rendering it after costs nothing.
import { Modal } from "@shopify/app-bridge-react";
import type { ComponentProps } from "react";
import { useHydrated } from "./use-hydrated";

export function HydratedModal(props: ComponentProps<typeof Modal>) {
  return useHydrated() ? <Modal {...props} /> : null;
}
