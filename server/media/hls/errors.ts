// Typed errors for bad media input: parsers throw these, the pipeline catches and counts them.

/** Base class: anything a publisher can send that we refuse to parse. */
export class HlsInputError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** The FLV container itself is malformed (short tag, bad size, encrypted tag). */
export class FlvParseError extends HlsInputError {}

/** A codec payload is malformed or uses a feature we cannot carry (e.g. explicit AAC frequency). */
export class CodecError extends HlsInputError {}
