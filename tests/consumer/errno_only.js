// Tree-shaking: an app that imports only `errno` (bundled with a metafile by the consumer test).
import { errno } from "wasi-polyfill";
console.log(errno.noent);
