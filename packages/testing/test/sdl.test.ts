import { parse } from 'graphql';
import { sdlEnumValues, undocumentedSchemaNodes } from '../src/sdl';

describe('SDL checks', () => {
  it('names every undocumented type, field, argument and enum value', () => {
    const doc = parse(`
      """Documented."""
      type A { """Documented.""" ok: Int  missing(arg: Int): Int }
      enum E { """Documented.""" X  Y }
      input I { z: Int }`);
    expect(undocumentedSchemaNodes(doc)).toEqual(['A.missing', 'A.missing.arg', 'E', 'E.Y', 'I', 'I.z']);
    expect(sdlEnumValues(doc, 'E')).toEqual(['X', 'Y']);
    expect(sdlEnumValues(doc, 'Nope')).toEqual([]);
  });
});
