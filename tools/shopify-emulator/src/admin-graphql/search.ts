// Shopify's search syntax for connection `query:` arguments, the subset apps use for incremental sync:
//   updated_at:>'2025-01-01T00:00:00Z' AND status:active,draft id:>123 -tag:sale title:snow*
// Terms are ANDed (explicit AND or juxtaposition); OR between terms is supported at the top level;
// `-` or NOT negates. Unknown fields are ignored with a warning in `extensions.search`, as Shopify does.

export type Op = ":" | ">" | ">=" | "<" | "<=";

export interface Term {
  field: string | null; // null = free text
  op: Op;
  value: string;
  negate: boolean;
}

export type FieldKind = "date" | "id" | "number" | "string" | "enum" | "tags" | "bool";

export interface FieldSpec<T> {
  kind: FieldKind;
  get(item: T): number | bigint | string | boolean | null | readonly string[];
}

export interface SearchWarning {
  field: string;
  message: string;
  code: string;
}

export interface CompiledSearch<T> {
  match(item: T): boolean;
  warnings: SearchWarning[];
  terms: Term[][];
}

export function tokenize(q: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i]!;
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if (ch === "(" || ch === ")") {
      // Grouping is not modelled; parentheses are dropped (fine for flat AND/OR queries).
      i++;
      continue;
    }
    let tok = "";
    while (i < q.length && !/\s/.test(q[i]!) && q[i] !== "(" && q[i] !== ")") {
      const c = q[i]!;
      if (c === "'" || c === '"') {
        const end = q.indexOf(c, i + 1);
        const stop = end < 0 ? q.length : end;
        tok += c + q.slice(i + 1, stop) + c;
        i = stop + 1;
      } else {
        tok += c;
        i++;
      }
    }
    if (tok) out.push(tok);
  }
  return out;
}

function unquote(v: string): string {
  return v.replace(/^(['"])(.*)\1$/s, "$2");
}

export function parseSearch(q: string): Term[][] {
  const groups: Term[][] = [[]];
  let negateNext = false;
  for (const tok of tokenize(q)) {
    if (tok === "AND") continue;
    if (tok === "OR") {
      groups.push([]);
      continue;
    }
    if (tok === "NOT") {
      negateNext = true;
      continue;
    }
    let t = tok;
    let negate = negateNext;
    negateNext = false;
    if (t.startsWith("-") && t.length > 1) {
      negate = true;
      t = t.slice(1);
    }
    const m = /^([A-Za-z_][\w.]*):(>=|<=|>|<)?(.*)$/s.exec(t);
    const term: Term = m
      ? { field: m[1]!.toLowerCase(), op: (m[2] as Op | undefined) ?? ":", value: unquote(m[3] ?? ""), negate }
      : { field: null, op: ":", value: unquote(t), negate };
    groups[groups.length - 1]!.push(term);
  }
  return groups.filter((g) => g.length > 0);
}

function cmp(a: number | bigint | string, b: number | bigint | string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function parseDateValue(v: string): { lo: number; hi: number } | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const lo = Date.parse(`${v}T00:00:00Z`);
    return Number.isNaN(lo) ? undefined : { lo, hi: lo + 86_400_000 };
  }
  if (v === "now") return { lo: Date.now(), hi: Date.now() };
  const t = Date.parse(v);
  return Number.isNaN(t) ? undefined : { lo: t, hi: t };
}

function parseIdValue(v: string): bigint | undefined {
  const m = /^(?:gid:\/\/shopify\/[A-Za-z]+\/)?(\d{1,20})$/.exec(v);
  return m?.[1] ? BigInt(m[1]) : undefined;
}

function termMatches<T>(spec: FieldSpec<T>, term: Term, item: T): boolean {
  const raw = spec.get(item);
  const v = term.value;
  switch (spec.kind) {
    case "date": {
      if (typeof raw !== "number") return false;
      const d = parseDateValue(v);
      if (!d) return false;
      switch (term.op) {
        case ">":
          return raw > (d.hi === d.lo ? d.lo : d.hi - 1);
        case ">=":
          return raw >= d.lo;
        case "<":
          return raw < d.lo;
        case "<=":
          return raw <= (d.hi === d.lo ? d.lo : d.hi - 1);
        default:
          return d.hi === d.lo ? raw === d.lo : raw >= d.lo && raw < d.hi;
      }
    }
    case "id":
    case "number": {
      const want = spec.kind === "id" ? parseIdValue(v) : Number(v);
      if (want === undefined || (typeof want === "number" && Number.isNaN(want))) return false;
      if (raw == null || typeof raw === "object" || typeof raw === "boolean") return false;
      const c = cmp(spec.kind === "id" ? BigInt(raw) : Number(raw), want);
      return term.op === ">"
        ? c > 0
        : term.op === ">="
          ? c >= 0
          : term.op === "<"
            ? c < 0
            : term.op === "<="
              ? c <= 0
              : c === 0;
    }
    case "bool":
      return String(raw) === v.toLowerCase();
    case "enum":
    case "string": {
      if (raw == null || typeof raw === "object") return false;
      const have = String(raw).toLowerCase();
      return v
        .split(",")
        .map((x) => x.trim().toLowerCase())
        .some((w) => (w.endsWith("*") ? have.startsWith(w.slice(0, -1)) : have === w));
    }
    case "tags": {
      const tags = Array.isArray(raw) ? (raw as readonly string[]) : [];
      const wants = v.split(",").map((x) => x.trim().toLowerCase());
      return tags.some((t) => wants.includes(t.toLowerCase()));
    }
  }
}

export function compileSearch<T>(
  query: string | null | undefined,
  fields: Record<string, FieldSpec<T>>,
  freeText?: (item: T) => string,
): CompiledSearch<T> {
  const terms = query ? parseSearch(query) : [];
  const warnings: SearchWarning[] = [];
  const known = terms.map((group) =>
    group.filter((t) => {
      if (t.field === null) return !!freeText;
      if (fields[t.field]) return true;
      warnings.push({ field: t.field, message: "Invalid search field for this query.", code: "invalid_field" });
      return false;
    }),
  );
  const match = (item: T): boolean => {
    if (known.length === 0) return true;
    return known.some((group) =>
      group.every((t) => {
        const ok =
          t.field === null
            ? freeText!(item).toLowerCase().includes(t.value.toLowerCase())
            : termMatches(fields[t.field]!, t, item);
        return t.negate ? !ok : ok;
      }),
    );
  };
  return { match, warnings, terms };
}
