// The empty state of a list or a section: a heading, a sentence, and optionally one action.
import { Card, EmptyState } from "@shopify/polaris";
import type { ReactNode } from "react";

/**
 * The illustration, inline: Shopify's template points at an image on cdn.shopify.com, which is one more
 * request per empty page, and a failed one wherever the CDN cannot be reached (the offline demo).
 * An empty box drawn in Polaris' neutral greys.
 */
export const EMPTY_ILLUSTRATION = `data:image/svg+xml,${encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 226 160" fill="none">` +
    `<ellipse cx="113" cy="146" rx="80" ry="8" fill="#ebebeb"/>` +
    `<path d="M53 62 113 40l60 22v58l-60 22-60-22z" fill="#f1f1f1" stroke="#8a8a8a" stroke-width="3" stroke-linejoin="round"/>` +
    `<path d="M53 62l60 22 60-22M113 84v58" stroke="#8a8a8a" stroke-width="3" stroke-linejoin="round"/>` +
    `<path d="M53 62 33 82l60 22 20-20M173 62l20 20-60 22-20-20" fill="#fff" stroke="#8a8a8a" stroke-width="3" stroke-linejoin="round"/>` +
    `</svg>`,
)}`;

export function EmptyCard({
  heading,
  children,
  action,
}: {
  heading: string;
  children: ReactNode;
  action?: { content: string; url: string };
}) {
  return (
    <Card>
      <EmptyState heading={heading} image={EMPTY_ILLUSTRATION} action={action}>
        {children}
      </EmptyState>
    </Card>
  );
}
