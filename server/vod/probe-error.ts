// Why a file is not a library video: 'unsupported' (media we cannot carry: 415 on upload) or 'invalid'
// (truncated or not media at all: 422). The message names what was found, for the uploader and the log.
export type ProbeFailure = 'unsupported' | 'invalid';

export class ProbeError extends Error {
  constructor(readonly failure: ProbeFailure, message: string) {
    super(message);
    this.name = 'ProbeError';
  }
}
