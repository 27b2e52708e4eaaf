// A Polaris Select over a list of values (a filter, or a form's choice), each shown through `format`;
// with `anyLabel`, a first option with the empty value ("Any") leaves the filter off. The choice is
// read from the form it sits in (by `name`), so the select keeps its own state from `initial`.
import { Select } from "@shopify/polaris";
import { useState } from "react";

export interface ValueSelectField {
  label: string;
  name: string;
  values: readonly string[];
  initial: string;
}

export function ValueSelect({
  label,
  name,
  values,
  initial,
  format = (text) => text,
  anyLabel,
}: ValueSelectField & { format?: (value: string) => string; anyLabel?: string }) {
  const [value, setValue] = useState(initial);
  const options = values.map((option) => ({ label: format(option), value: option }));
  return (
    <Select
      label={label}
      name={name}
      options={anyLabel ? [{ label: anyLabel, value: "" }, ...options] : options}
      value={value}
      onChange={setValue}
    />
  );
}
