import { Lexer } from 'yaml';

/** Offsets of the comment tokens as the `yaml` package's lexer and parser see them (the reference). */
export function lexerComments(text: string): number[] {
  const out: number[] = [];
  let offset = 0;
  let atScalar = false;
  for (const token of new Lexer().lex(text)) {
    if (atScalar) {
      // The token after the SCALAR marker is a scalar's text, whatever it starts with.
      atScalar = false;
      offset += token.length;
      continue;
    }
    if (token === '\x1f') {
      atScalar = true;
      continue;
    }
    if (token === '\x02' || token === '\x18') continue; // zero-width control tokens
    if (token[0] === '#') out.push(offset);
    offset += token.length;
  }
  if (offset !== text.length) throw new Error(`the lexer's tokens cover ${offset} of ${text.length} characters`);
  return out;
}
