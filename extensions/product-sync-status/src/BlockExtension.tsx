import { render } from "preact";

export default async () => {
  render(<s-admin-block heading="Shop Sync"><s-text>hello</s-text></s-admin-block>, document.body);
};
