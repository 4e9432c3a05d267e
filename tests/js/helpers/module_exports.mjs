// What an ES module exports, for tests/test_generator.py (generated
// constants, the real ones or a tiny spec's rendered into a temporary file):
//
//   node tests/js/helpers/module_exports.mjs <module path>
//     -> {exports: {name: value}, frozen: {name: bool, "name.key": bool}}
//
// `frozen` says Object.isFrozen of each object export and of each object
// held by one (e.g. "enumNames.color").
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { emit } from "./emit.mjs";

const module = await import(pathToFileURL(resolve(process.argv[2])).href);
const exports = {};
const frozen = {};
for (const [name, value] of Object.entries(module)) {
  exports[name] = value;
  if (value === null || typeof value !== "object") continue;
  frozen[name] = Object.isFrozen(value);
  for (const [key, inner] of Object.entries(value)) {
    if (inner !== null && typeof inner === "object") frozen[`${name}.${key}`] = Object.isFrozen(inner);
  }
}
emit({ exports, frozen });
