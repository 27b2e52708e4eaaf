// How an operation and the shared fragments (./fragments.ts) become the document that is sent.
//
// - withFragments: the operation followed by the fragment definitions it spreads (transitively), as
//   GraphQL requires of a document; for ordinary queries.
// - bulkQuery: the operation with every fragment spread replaced by the fragment's fields, so the text
//   given to bulkOperationRunQuery holds no fragments. Shopify's bulk-operation guide lists what a
//   bulk query may not do and does not mention fragments either way (ADR 0036), so the app sends bulk
//   queries in the form the guide's own examples use.
// - withRootSearch: a search filter on a bulk query's top-level connection.
//
// Both builders run once, when a module defines its documents; the result starts with `#graphql` like
// every document the app sends.
import {
  Kind,
  parse,
  print,
  visit,
  type ArgumentNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type SelectionNode,
  type SelectionSetNode,
} from "graphql";
import * as fragmentSources from "./fragments";

const FRAGMENTS: ReadonlyMap<string, FragmentDefinitionNode> = new Map(
  Object.values(fragmentSources).flatMap((source) =>
    parse(source).definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  ),
);

function fragment(name: string): FragmentDefinitionNode {
  const found = FRAGMENTS.get(name);
  if (!found) throw new Error(`GraphQL fragment ${name} is not defined in app/admin-api/operations/fragments.ts`);
  return found;
}

function spreadNames(node: DocumentNode | FragmentDefinitionNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

function printed(document: DocumentNode): string {
  return "#graphql\n" + print(document) + "\n";
}

/** `operation` with the definitions of the fragments it spreads, each once. */
export function withFragments(operation: string): string {
  const document = parse(operation);
  const used = new Set<string>();
  const pending = spreadNames(document);
  for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
    if (used.has(name)) continue;
    used.add(name);
    pending.push(...spreadNames(fragment(name)));
  }
  return printed({ ...document, definitions: [...document.definitions, ...[...used].map(fragment)] });
}

function expandSelections(
  selectionSet: SelectionSetNode,
  lookup: (name: string) => FragmentDefinitionNode,
): SelectionSetNode {
  const selections = selectionSet.selections.flatMap((selection): readonly SelectionNode[] => {
    if (selection.kind === Kind.FRAGMENT_SPREAD) {
      return expandSelections(lookup(selection.name.value).selectionSet, lookup).selections;
    }
    if (!selection.selectionSet) return [selection];
    return [{ ...selection, selectionSet: expandSelections(selection.selectionSet, lookup) }];
  });
  return { ...selectionSet, selections };
}

/**
 * `document` with each `...Fragment` written out as the fragment's fields (from the document's own
 * definitions, else the shared ones), and no fragment definitions left. Every spread in the app's
 * documents names a fragment on the field's own type, so the fields are the same either way.
 */
export function writeOutFragments(document: string): string {
  const parsed = parse(document);
  const own = new Map(
    parsed.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])),
  );
  const lookup = (name: string) => own.get(name) ?? fragment(name);
  return printed({
    ...parsed,
    definitions: parsed.definitions.flatMap((d) =>
      d.kind === Kind.OPERATION_DEFINITION ? [{ ...d, selectionSet: expandSelections(d.selectionSet, lookup) }] : [],
    ),
  });
}

/** A bulk query as sent: the operation with its fragments written out (see the top of this file). */
export const bulkQuery = writeOutFragments;

/**
 * A bulk document with a search filter on its top-level connection (`orders(query: "…")`), set on the
 * parsed document so the value is escaped by the printer: bulk queries take no variables, and pasting
 * text into the document would let a quote in the value change the query.
 */
export function withRootSearch(document: string, search: string): string {
  const ast = parse(document.replace(/^#graphql\s*/, ""));
  let depth = 0;
  const edited = visit(ast, {
    Field: {
      enter(field) {
        depth++;
        if (depth !== 1) return undefined;
        const argument: ArgumentNode = {
          kind: Kind.ARGUMENT,
          name: { kind: Kind.NAME, value: "query" },
          value: { kind: Kind.STRING, value: search },
        };
        return {
          ...field,
          arguments: [...(field.arguments ?? []).filter((a) => a.name.value !== "query"), argument],
        };
      },
      leave() {
        depth--;
      },
    },
  });
  return print(edited);
}
