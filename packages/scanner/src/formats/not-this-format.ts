/**
 * Thrown by a parser whose `sniff` matched but whose content turns out not to be its format
 * (a text file that merely starts with a pickle opcode byte). The scan then tries the next parser.
 * `rule` names why (`safetensors/header-json`): when the file's name claims this format, the scan
 * reports it under that rule as a malformed file of the format.
 */
export class NotThisFormatError extends Error {
  readonly rule: string | undefined;

  constructor(message: string, rule?: string) {
    super(message);
    this.name = "NotThisFormatError";
    this.rule = rule;
  }
}
