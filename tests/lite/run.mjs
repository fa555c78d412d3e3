// Runs tests/lite/harness.py under Pyodide (the npm package, no network) on a job file and prints its JSON report.
// Usage: node run.mjs XLWINGS_PACKAGE_DIR JOB.json
import { readFileSync, readdirSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { loadPyodide } from "pyodide";

const here = dirname(fileURLToPath(import.meta.url));
const [xlwingsDir, jobPath] = process.argv.slice(2);

// xlwings Lite installs xlwings from requirements.txt; offline, its pure-Python files come from the local install.
function copyTree(pyodide, source, target) {
  pyodide.FS.mkdirTree(target);
  for (const name of readdirSync(source)) {
    const path = join(source, name);
    if (statSync(path).isDirectory()) {
      if (name !== "__pycache__") copyTree(pyodide, path, join(target, name));
    } else if (!name.endsWith(".so") && !name.endsWith(".pyc")) {
      pyodide.FS.writeFile(join(target, name), readFileSync(path));
    }
  }
}

const pyodide = await loadPyodide({ indexURL: join(here, "node_modules", "pyodide") });
const site = "/home/pyodide/site";
copyTree(pyodide, xlwingsDir, join(site, "xlwings"));
pyodide.FS.writeFile(join(site, "harness.py"), readFileSync(join(here, "harness.py")));
pyodide.globals.set("job_text", readFileSync(jobPath, "utf8"));
const report = await pyodide.runPythonAsync(`
import json, sys
sys.path.insert(0, "${site}")
import harness
json.dumps(await harness.run(json.loads(job_text)), ensure_ascii=False)
`);
process.stdout.write(report + "\n");
