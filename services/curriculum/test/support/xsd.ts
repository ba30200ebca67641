/**
 * Validates an export against the XSDs kept in `schemas/` with libxml2's xmllint (compiled to
 * WebAssembly, so no system package is needed). Returns xmllint's messages; empty means valid.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';

const SCHEMAS = join(__dirname, '..', '..', 'schemas');

export async function xsdErrors(xml: string, schemaDir: string, mainSchema: string): Promise<string[]> {
  const dir = join(SCHEMAS, schemaDir);
  const files = readdirSync(dir).filter((f) => f.endsWith('.xsd'));
  const load = (fileName: string) => ({ fileName, contents: readFileSync(join(dir, fileName), 'utf8') });
  const result = await validateXML({
    xml: [{ fileName: 'export.xml', contents: xml }],
    schema: [load(mainSchema)],
    preload: files.filter((f) => f !== mainSchema).map(load),
  });
  return result.errors.map((e) => e.rawMessage);
}
