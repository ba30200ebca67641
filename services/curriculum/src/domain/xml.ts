/**
 * A minimal XML writer: elements, attributes and text, escaped. Enough for the exports, with no
 * dependency; everything that reaches the output goes through `escape`.
 */
export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlChild[];
}
export type XmlChild = XmlElement | string;

/** Builds an element; `undefined`/`null` children are dropped so optional parts read naturally. */
export function el(
  name: string,
  attributes: Record<string, string | number | undefined> = {},
  ...children: (XmlChild | null | undefined | XmlChild[])[]
): XmlElement {
  const attrs: Record<string, string> = {};
  for (const [k, v] of Object.entries(attributes)) if (v !== undefined) attrs[k] = String(v);
  return { name, attributes: attrs, children: children.flat().filter((c): c is XmlChild => c !== null && c !== undefined) };
}

// Characters XML 1.0 cannot carry at all (most C0 controls), removed rather than escaped.
// eslint-disable-next-line no-control-regex
const INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

export function escape(value: string): string {
  return value
    .replace(INVALID, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function render(node: XmlElement, depth: number, out: string[]): void {
  const pad = '  '.repeat(depth);
  const attrs = Object.entries(node.attributes)
    .map(([k, v]) => ` ${k}="${escape(v)}"`)
    .join('');
  if (!node.children.length) {
    out.push(`${pad}<${node.name}${attrs}/>`);
  } else if (node.children.every((c) => typeof c === 'string')) {
    out.push(`${pad}<${node.name}${attrs}>${(node.children as string[]).map(escape).join('')}</${node.name}>`);
  } else {
    out.push(`${pad}<${node.name}${attrs}>`);
    for (const child of node.children) {
      if (typeof child === 'string') out.push(`${pad}  ${escape(child)}`);
      else render(child, depth + 1, out);
    }
    out.push(`${pad}</${node.name}>`);
  }
}

/** The document with its declaration, two-space indented. */
export function renderXml(root: XmlElement): string {
  const out = ['<?xml version="1.0" encoding="UTF-8"?>'];
  render(root, 0, out);
  return `${out.join('\n')}\n`;
}
