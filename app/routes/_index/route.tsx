import type { LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form } from "@remix-run/react";

// The app's public landing page. Shopify opens embedded apps with ?shop=…; send those to the app.
export const loader = async ({ request }: LoaderFunctionArgs) => {
  const url = new URL(request.url);
  if (url.searchParams.get("shop")) {
    throw redirect(`/app?${url.searchParams.toString()}`);
  }
  return null;
};

export default function Landing() {
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "4rem auto", lineHeight: 1.5 }}>
      <h1>Shop Sync</h1>
      <p>Mirrors your store&apos;s products, orders and inventory into a database you own, and keeps it current.</p>
      <Form method="post" action="/auth/login">
        <label>
          Shop domain <input type="text" name="shop" placeholder="my-shop.myshopify.com" />
        </label>{" "}
        <button type="submit">Log in</button>
      </Form>
    </main>
  );
}
