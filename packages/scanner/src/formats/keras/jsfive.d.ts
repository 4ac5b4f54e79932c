// Types for the part of jsfive (https://github.com/usnistgov/jsfive, no bundled types) the scanner uses.
declare module "jsfive" {
  /** One message of an HDF5 object header. */
  interface HeaderMessage {
    get(key: "type"): number;
  }
  /** An HDF5 object header (internal to jsfive, used to detect attributes it cannot read). */
  interface DataObjects {
    find_msg_type(type: number): HeaderMessage[];
    get_links(): Record<string, number>;
  }
  class Group {
    readonly attrs: Record<string, unknown>;
    readonly keys: string[];
    readonly _dataobjects: DataObjects;
  }
  /** An HDF5 file held in memory. Reads lazily from the buffer; throws RangeError past its end. */
  class File extends Group {
    constructor(buffer: ArrayBuffer, filename: string);
  }
}
