// The bundled examples (sources in examples/, built by harness/web_demo.py)
// and the files the page starts with.

export const EXAMPLES = [
  {
    name: "hello",
    title: "Hello, world",
    blurb: "Arguments, an environment variable, stdout and stderr.",
    args: "WASI",
    env: "GREETING=Hello",
  },
  {
    name: "calc",
    title: "Calculator",
    blurb: "Interactive: type an expression, get its value. Reads stdin line by line until EOF or \"quit\".",
    args: "",
    env: "",
    interactive: true,
    input: "1 + 2\n2 * (3 + 4)\nans / 4\n2 ^ 10\n",
  },
  {
    name: "guess",
    title: "Guessing game",
    blurb: "Interactive: a guessing game between 1 and 100 (the answer is always 42, or $SECRET).",
    args: "",
    env: "",
    interactive: true,
    input: "50\n25\n42\n",
  },
  {
    name: "transform",
    title: "Transform files",
    blurb: "Rewrites every file in /data into /data/out/: upper, lower, sort or reverse the lines.",
    args: "upper /data",
    env: "",
  },
  {
    name: "wc",
    title: "Word count",
    blurb: "Counts lines, words and bytes of files, like wc(1); with no files (or \"-\"), of stdin.",
    args: "/data/poem.txt /data/groceries.txt /data/missing.txt",
    env: "",
  },
  {
    name: "tree",
    title: "List files",
    blurb: "Walks a directory like tree(1): sizes, subdirectories, symlink targets.",
    args: "/data",
    env: "",
  },
];

const text = (s) => new TextEncoder().encode(s);

/** The file panel's tree on first load and after "Reset": a tree snapshot (polyfill/src/run/tree.js). */
export function sampleTree() {
  const file = (content) => ({ type: "file", data: text(content) });
  const dir = (entries) => ({ type: "dir", entries });
  return dir({
    data: dir({
      "groceries.txt": file("tomatoes\nbread\napples\nolive oil\ncoffee\nbasil\n"),
      latest: { type: "symlink", target: "poem.txt" },
      notes: dir({ "todo.md": file("# To do\n\n- read the spec\n- write the glue\n- run it everywhere\n") }),
      "poem.txt": file("Programs compiled once\nrun wherever bytes can land:\na terminal, a tab.\n"),
    }),
  });
}
