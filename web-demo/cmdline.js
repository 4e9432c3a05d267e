// The program form's three fields, parsed: arguments (shell-like words),
// environment (NAME=value lines) and preopens (DIR or DIR::GUEST_DIR, as
// `wasi-polyfill run --dir` spells them). Each throws an Error whose message
// is shown to the user as it is.

/** Splits like a POSIX shell, without expansions: 'single', "double", \escapes. */
export function parseArgs(text) {
  const words = [];
  let word = null;
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
      i++;
      continue;
    }
    word ??= "";
    if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) throw new Error("Arguments: a ' is not closed");
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (c === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === "\\" && i + 1 < text.length && '"\\$`'.includes(text[i + 1])) i++;
        word += text[i++];
      }
      if (i >= text.length) throw new Error('Arguments: a " is not closed');
      i++;
    } else if (c === "\\" && i + 1 < text.length) {
      word += text[i + 1];
      i += 2;
    } else {
      word += c;
      i++;
    }
  }
  if (word !== null) words.push(word);
  return words;
}

/** A word as a shell would need it written (for the echoed command line). */
export function quoteArg(word) {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** NAME=value per line; blank lines and # comments are skipped. */
export function parseEnv(text) {
  const env = {};
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith("#")) return;
    const eq = line.indexOf("=");
    if (eq <= 0) throw new Error(`Environment, line ${i + 1}: expected NAME=value, got "${line}"`);
    env[line.slice(0, eq)] = line.slice(eq + 1);
  });
  return env;
}

/**
 * "DIR" or "DIR::GUEST_DIR" words -> the polyfill's `preopens` object
 * { guestPath: pathInMemFS }, in order (the first is fd 3). `isDir(path)`
 * checks each DIR exists in the file panel.
 */
export function parsePreopens(text, isDir) {
  const preopens = {};
  for (const word of text.split(/[\s,]+/).filter(Boolean)) {
    const [dir, guest = dir] = word.split("::");
    if (!dir.startsWith("/")) throw new Error(`Preopens: "${dir}" must be an absolute path in the file panel`);
    if (!isDir(dir)) throw new Error(`Preopens: ${dir} is not a folder in the file panel`);
    if (guest in preopens) throw new Error(`Preopens: ${guest} is given twice`);
    preopens[guest] = dir;
  }
  return preopens;
}
