// args_* and environ_*: the command line and environment, as UTF-8 byte
// strings (the glue adds the NUL terminators and the pointer arrays).

export const argsSyscalls = {
  /** The arguments (argv[0] first). Errors: none. */
  args_get() {
    return this.args;
  },

  /** [argc, total bytes including one NUL per argument]. Errors: none. */
  args_sizes_get() {
    return [this.args.length, sizeWithNuls(this.args)];
  },

  /** "NAME=value" strings, in the order given. Errors: none. */
  environ_get() {
    return this.environ;
  },

  /** [count, total bytes including one NUL per string]. Errors: none. */
  environ_sizes_get() {
    return [this.environ.length, sizeWithNuls(this.environ)];
  },
};

function sizeWithNuls(strings) {
  let n = 0;
  for (let i = 0; i < strings.length; i++) n += strings[i].length + 1;
  return n;
}
