/**
 * A strict little XML reader for the export tests: it refuses anything not well-formed
 * (unbalanced or mis-nested tags, unquoted attributes, stray `<` or `&`) and returns a tree to
 * query, so the tests check the document's structure rather than its text.
 */
export interface XmlNode {
  name: string;
  attributes: Record<string, string>;
  children: XmlNode[];
  text: string;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
function unescape(text: string): string {
  if (/&(?!(amp|lt|gt|quot|apos);)/.test(text)) throw new Error(`Unescaped & in ${JSON.stringify(text.slice(0, 80))}`);
  return text.replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ENTITIES[e] as string);
}

const NAME = '[A-Za-z_][\\w.:-]*';
const TAG = new RegExp(`^<(/?)(${NAME})((?:\\s+${NAME}="[^"<]*")*)\\s*(/?)>`);
const ATTR = new RegExp(`(${NAME})="([^"<]*)"`, 'g');

export function parseXml(xml: string): XmlNode {
  let rest = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const root: XmlNode = { name: '#document', attributes: {}, children: [], text: '' };
  const stack: XmlNode[] = [root];
  while (rest.length) {
    const top = stack[stack.length - 1] as XmlNode;
    if (rest.startsWith('<')) {
      const m = TAG.exec(rest);
      if (!m) throw new Error(`Malformed tag at ${JSON.stringify(rest.slice(0, 80))}`);
      const [whole, closing, name, attrs, selfClosing] = m as unknown as [string, string, string, string, string];
      rest = rest.slice(whole.length);
      if (closing) {
        if (top.name !== name) throw new Error(`</${name}> closes <${top.name}>`);
        stack.pop();
        continue;
      }
      const node: XmlNode = { name, attributes: {}, children: [], text: '' };
      for (const a of attrs.matchAll(ATTR)) node.attributes[a[1] as string] = unescape(a[2] as string);
      top.children.push(node);
      if (!selfClosing) stack.push(node);
    } else {
      const end = rest.indexOf('<');
      const text = end === -1 ? rest : rest.slice(0, end);
      rest = end === -1 ? '' : rest.slice(end);
      if (text.includes('>')) throw new Error(`Stray > in text ${JSON.stringify(text.slice(0, 80))}`);
      top.text += unescape(text.trim());
    }
  }
  if (stack.length !== 1) throw new Error(`Unclosed <${stack[stack.length - 1]?.name}>`);
  if (root.children.length !== 1) throw new Error('An XML document has exactly one root element');
  return root.children[0] as XmlNode;
}

/** Child elements of `node` with the given name. */
export const all = (node: XmlNode, name: string): XmlNode[] => node.children.filter((c) => c.name === name);
/** The one child with the given name (fails when there is none). */
export function one(node: XmlNode, name: string): XmlNode {
  const found = all(node, name);
  if (found.length !== 1) throw new Error(`<${node.name}> has ${found.length} <${name}>`);
  return found[0] as XmlNode;
}
/** Every descendant with the given name. */
export function descendants(node: XmlNode, name: string): XmlNode[] {
  return node.children.flatMap((c) => [...(c.name === name ? [c] : []), ...descendants(c, name)]);
}
