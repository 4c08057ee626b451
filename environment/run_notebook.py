"""Executes a notebook for bin/run-notebook and writes its HTML report; run with Debian's /usr/bin/python3.

usage: run_notebook.py NOTEBOOK OUT_DIR NAME TIMEOUT TEMPLATE_DIR

Runs every cell with the "excon" kernel in the notebook's own directory (nbclient, the engine under nbconvert
--execute), then writes OUT_DIR/NAME.ipynb and OUT_DIR/NAME.html through the excon-report template in TEMPLATE_DIR.
TIMEOUT is the longest a cell may run, in seconds (-1: no limit).

A failed cell is reported the way the notebook shows it: which cell, then the kernel's own error lines (the error's
name and message, its cell lines), never nbconvert's Python traceback around it. Exit status: 0 done, 1 a cell
failed, timed out or the kernel died (nothing is written then), 2 wrong arguments.
"""
import os
import re
import sys

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
from nbconvert import HTMLExporter
from traitlets.config import Config

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def say(lines):
    """Prints to stderr, without ANSI colours unless stderr is a terminal."""
    text = "\n".join(lines)
    if not sys.stderr.isatty():
        text = ANSI.sub("", text)
    print(text, file=sys.stderr, flush=True)


def main():
    if len(sys.argv) != 6:
        say([__doc__.strip().splitlines()[2]])
        return 2
    notebook, out_dir, name, timeout, templates = sys.argv[1:]
    label = os.path.basename(notebook)
    nb = nbformat.read(notebook, as_version=4)
    seen = {"cell": None, "error": None}

    def on_start(cell, cell_index, **_):
        seen["cell"] = cell_index + 1

    def on_error(cell, cell_index, execute_reply, **_):
        seen["error"] = execute_reply["content"]

    client = NotebookClient(nb, timeout=int(timeout), kernel_name="excon", startup_timeout=120,
                            resources={"metadata": {"path": os.path.dirname(os.path.abspath(notebook))}},
                            on_cell_start=on_start, on_cell_error=on_error)

    def where():
        return "run-notebook: %s, cell %s of %d" % (label, seen["cell"], len(nb.cells))

    try:
        client.execute()
    except CellExecutionError as e:
        error = seen["error"] or {}
        lines = list(error.get("traceback") or []) or ["%s: %s" % (e.ename, e.evalue)]
        say(["%s: %s" % (where(), lines[0])] + lines[1:])
        return 1
    except CellTimeoutError:
        say(["%s: still running after %s s, stopped (--timeout SECONDS raises the limit, -1 removes it)"
             % (where(), timeout)])
        return 1
    except DeadKernelError:
        say(["%s: the kernel died (System.exit() in a cell, or out of memory: see the kernel's log above)" % where()])
        return 1
    except KeyboardInterrupt:
        say(["%s: interrupted" % where()])
        return 130
    except Exception as e:  # the kernel did not start, or Jupyter itself failed: one line, no Python traceback
        say(["run-notebook: %s: %s: %s" % (label, type(e).__name__, e)])
        return 1

    nbformat.write(nb, os.path.join(out_dir, name + ".ipynb"))
    config = Config()
    config.TemplateExporter.extra_template_basedirs = [templates]
    exporter = HTMLExporter(config=config, template_name="excon-report")
    html, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": name, "path": client.resources[
        "metadata"]["path"]}})
    with open(os.path.join(out_dir, name + ".html"), "w", encoding="utf-8") as f:
        f.write(html)
    return 0


if __name__ == "__main__":
    sys.exit(main())
