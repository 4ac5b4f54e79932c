/**
 * Thrown by a parser whose `sniff` matched but whose content turns out not to be its format
 * (a text file that merely starts with a pickle opcode byte). The scan then tries the next parser.
 */
export class NotThisFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NotThisFormatError";
  }
}
