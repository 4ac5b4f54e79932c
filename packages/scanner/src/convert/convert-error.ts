/**
 * Why a checkpoint is not converted. Every refusal is one of these: the message names what was
 * found (the global, the call, the tensor, the member) and where, so the user knows what to fix.
 */
export class ConvertError extends Error {
  constructor(
    /** Stable code, `convert/<what>` (`convert/forbidden-global`, `convert/not-safe`, ...). */
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = "ConvertError";
  }
}
