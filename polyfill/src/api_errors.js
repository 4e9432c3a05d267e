// Errors of the WASI class's API, shaped like Node's (`node:wasi` throws
// these for bad options or a misused instance): the same class, `code` and
// message text, so code written against node:wasi can check them.

/** A value as Node's messages show it: `type string ('x')`, `an instance of MemFS`, `undefined`. */
export function describe(value) {
  if (value === undefined || value === null) return String(value);
  if (typeof value === "function") return `function ${value.name}`;
  if (typeof value === "object") {
    const name = value.constructor?.name;
    return name ? `an instance of ${name}` : "[Object: null prototype]";
  }
  let shown;
  if (typeof value === "string") {
    shown = value.length > 28 ? `'${value.slice(0, 25)}...'` : `'${value}'`;
  } else if (typeof value === "bigint") {
    shown = `${value}n`;
  } else {
    shown = String(value);
  }
  return `type ${typeof value} (${shown})`;
}

function withCode(error, code) {
  error.code = code;
  return error;
}

/** ERR_INVALID_ARG_TYPE: `The "name" argument/property must be <expected>. Received <value>` */
export function invalidArgType(name, expected, value) {
  const kind = name.includes(".") ? "property" : "argument";
  return withCode(new TypeError(`The "${name}" ${kind} must be ${expected}. Received ${describe(value)}`), "ERR_INVALID_ARG_TYPE");
}

/** ERR_INVALID_ARG_TYPE with Node's message for a memory export that is not a WebAssembly.Memory. */
export function invalidMemory(name) {
  return withCode(new TypeError(`"${name}" property must be a WebAssembly.Memory object`), "ERR_INVALID_ARG_TYPE");
}

/** ERR_INVALID_ARG_VALUE: `The property 'name' <reason>. Received <value>` */
export function invalidArgValue(name, value, reason) {
  const kind = name.includes(".") ? "property" : "argument";
  const shown = typeof value === "string" ? `'${value}'` : String(value);
  return withCode(new TypeError(`The ${kind} '${name}' ${reason}. Received ${shown}`), "ERR_INVALID_ARG_VALUE");
}

/** ERR_WASI_ALREADY_STARTED */
export function alreadyStarted() {
  return withCode(new Error("WASI instance has already started"), "ERR_WASI_ALREADY_STARTED");
}

export function validateObject(value, name) {
  if (value === null || typeof value !== "object") throw invalidArgType(name, "of type object", value);
}

export function validateFunction(value, name) {
  if (typeof value !== "function") throw invalidArgType(name, "of type function", value);
}

export function validateUndefined(value, name) {
  if (value !== undefined) throw invalidArgType(name, "undefined", value);
}

const AsyncFunction = (async () => {}).constructor;

/** An `async` function (its constructor is AsyncFunction, whatever a minifier calls it). */
export function isAsyncFunction(value) {
  return typeof value === "function" && value instanceof AsyncFunction;
}

/**
 * ERR_INVALID_ARG_TYPE for a stdin function that is async or returned a
 * Promise: a synchronous WASI must have the bytes when the guest reads, so it
 * cannot wait; reading it as end of input would hide the mistake.
 */
export function asyncStdin(name, what) {
  return withCode(new TypeError(
    `The "${name}" property ${what}, but this WASI reads stdin synchronously: ` +
    "return a Uint8Array, a string or null (end of input), or create the WASI with { async: true }",
  ), "ERR_INVALID_ARG_TYPE");
}

/** `trace` given to the default browser entry, which leaves the trace code out to stay small. */
export function traceNotIncluded() {
  return withCode(new Error('options.trace needs the tracing entry: import { WASI } from "wasi-polyfill/trace"'), "ERR_WASI_TRACE_NOT_INCLUDED");
}
