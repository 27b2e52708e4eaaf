// A Polaris Select over a list of values (a filter, or a form's choice), each shown through `format`;
// with `anyLabel`, a first option with the empty value ("Any") leaves the filter off.
import { Select } from "@shopify/polaris";

export function ValueSelect({
  label,
  name,
  values,
  value,
  onChange,
  format = (text) => text,
  anyLabel,
}: {
  label: string;
  name: string;
  values: readonly string[];
  value: string;
  onChange(value: string): void;
  format?: (value: string) => string;
  anyLabel?: string;
}) {
  const options = values.map((option) => ({ label: format(option), value: option }));
  return (
    <Select
      label={label}
      name={name}
      options={anyLabel ? [{ label: anyLabel, value: "" }, ...options] : options}
      value={value}
      onChange={onChange}
    />
  );
}
