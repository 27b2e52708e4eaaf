import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { login } from "~/shopify.server";
import { loginErrorMessage } from "./error.server";

export const loader = async ({ request }: LoaderFunctionArgs) => {
  return { errors: loginErrorMessage(await login(request)) };
};

export const action = async ({ request }: ActionFunctionArgs) => {
  return { errors: loginErrorMessage(await login(request)) };
};

export default function Login() {
  const loaderData = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { errors } = actionData ?? loaderData;
  return (
    <main style={{ fontFamily: "system-ui, sans-serif", maxWidth: 560, margin: "4rem auto" }}>
      <h1>Log in to Shop Sync</h1>
      <Form method="post">
        <label>
          Shop domain <input type="text" name="shop" placeholder="my-shop.myshopify.com" autoComplete="on" />
        </label>
        {errors.shop ? <p role="alert">{errors.shop}</p> : null}
        <button type="submit">Log in</button>
      </Form>
    </main>
  );
}
