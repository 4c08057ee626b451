#!/usr/bin/env node
// End-to-end check of a notebook in the classic Jupyter Notebook UI, driven like a person would: open the notebook,
// wait until its kernel is idle, run its first N cells with the keyboard (Shift+Enter, then Ctrl+Enter on the last so
// no empty cell is added), wait for every code cell among them to get its execution count, then read what the page
// shows. Prints one line of JSON on stdout (the facts; the caller asserts on them) and logs to stderr.
//
// Usage: node notebook-e2e.mjs --url http://127.0.0.1:PORT --notebook PATH [--cells N] [--screenshot FILE]
//          [--timeout SECONDS] [--kernel NAME] [--chromium /usr/bin/chromium]
//   PATH is relative to the server's notebook directory. The token comes from EXCON_NOTEBOOK_TOKEN (or --token; the
//   environment keeps it out of the process list). --cells defaults to every cell. --kernel (default excon) only
//   feeds the "ok" summary. playwright-core is taken from environment/browser/node_modules (make setup installs it)
//   or from EXCON_BROWSER_MODULES; the browser is Debian's Chromium, never a downloaded one.
// Exit status: 0 when "ok" is true, 1 when the run finished but a check failed, 2 when the run itself broke.

import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const started = Date.now();
const log = (...a) => console.error('[notebook-e2e]', ...a);
const here = dirname(fileURLToPath(import.meta.url));

const { values: opt } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    notebook: { type: 'string' },
    cells: { type: 'string' },
    screenshot: { type: 'string' },
    timeout: { type: 'string', default: '240' },
    kernel: { type: 'string', default: 'excon' },
    chromium: { type: 'string', default: process.env.CHROMIUM || '/usr/bin/chromium' },
  },
});

const result = {
  ok: false,
  notebook: opt.notebook ?? null,
  kernel: { name: null, uiName: null, displayName: null, state: null },
  cellsRequested: null,
  cellsInNotebook: null,
  cellsRun: 0,
  notExecuted: [],
  images: 0,
  errors: [],
  stderr: [],
  dialogs: [],
  pageErrors: [],
  cells: [],
  screenshot: null,
  browser: null,
  timingsMs: {},
  failure: null,
};

function finish(code) {
  result.timingsMs.total = Date.now() - started;
  process.stdout.write(JSON.stringify(result) + '\n');
  process.exitCode = code;
}

if (!opt.url || !opt.notebook) {
  result.failure = 'usage: notebook-e2e.mjs --url http://127.0.0.1:PORT --notebook PATH [--cells N] [--screenshot FILE]';
  finish(2);
  process.exit();
}
const token = opt.token ?? process.env.EXCON_NOTEBOOK_TOKEN ?? '';
const base = opt.url.replace(/\/+$/, '');
const timeoutMs = Number(opt.timeout) * 1000;
const deadline = started + timeoutMs;
const remaining = () => Math.max(1000, deadline - Date.now());

const modules = process.env.EXCON_BROWSER_MODULES || resolve(here, '../../../environment/browser');
const require = createRequire(resolve(modules, 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  result.failure = `playwright-core not found under ${modules}/node_modules (make setup installs it): ${e.message}`;
  finish(2);
  process.exit();
}

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
let browser;
try {
  browser = await chromium.launch({
    executablePath: opt.chromium,
    headless: true,
    timeout: 60000,
    // The sandbox needs user namespaces that root in a container does not get; the rest keeps Chromium off the
    // network (this machine has none besides loopback) and quiet.
    args: [...(asRoot ? ['--no-sandbox'] : []), '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
  result.browser = browser.version();
  result.timingsMs.launch = Date.now() - started;

  const context = await browser.newContext({ viewport: { width: 1280, height: 1000 } });
  const page = await context.newPage();
  page.on('pageerror', (e) => result.pageErrors.push(String(e.message || e).slice(0, 500)));
  page.on('dialog', (d) => { result.dialogs.push(d.message().slice(0, 300)); d.dismiss().catch(() => {}); });

  const path = opt.notebook.split('/').map(encodeURIComponent).join('/');
  const tLoad = Date.now();
  const response = await page.goto(`${base}/notebooks/${path}?token=${encodeURIComponent(token)}`,
    { timeout: remaining() });
  if (new URL(page.url()).pathname.endsWith('/login')) throw new Error('the server asks for a login: wrong token?');
  if (!response || !response.ok()) throw new Error(`GET notebook page: HTTP ${response && response.status()}`);
  // The notebook object exists once its JSON is loaded; no saving: the run must not write into the notebook.
  await page.waitForFunction(() => window.Jupyter && Jupyter.notebook && Jupyter.notebook._fully_loaded,
    null, { timeout: remaining() });
  await page.evaluate(() => Jupyter.notebook.set_autosave_interval(0));
  result.timingsMs.load = Date.now() - tLoad;

  // Kernel idle: the indicator the page shows. A modal (kernel not found, dead kernel) ends the wait early.
  const t0 = Date.now();
  const state = await page.waitForFunction(() => {
    const icon = document.querySelector('#kernel_indicator_icon');
    const cls = icon ? icon.className : '';
    if (cls.includes('kernel_idle_icon')) return 'idle';
    if (cls.includes('kernel_dead_icon')) return 'dead';
    const modal = document.querySelector('.modal.in .modal-body');
    return modal ? 'modal: ' + modal.innerText.trim().slice(0, 300) : false;
  }, null, { timeout: remaining(), polling: 100 }).then((h) => h.jsonValue());
  result.kernel.state = state;
  result.timingsMs.kernelIdle = Date.now() - t0;
  result.kernel.displayName = (await page.textContent('#kernel_indicator .kernel_indicator_name'))?.trim() ?? null;
  result.kernel.uiName = await page.evaluate(() => Jupyter.notebook.kernel && Jupyter.notebook.kernel.name);
  // The server's own record of the session: which kernel it started for this notebook.
  const sessions = await (await fetch(`${base}/api/sessions`, { headers: { Authorization: `token ${token}` } })).json();
  const session = sessions.find((s) => s.path === opt.notebook || s.notebook?.path === opt.notebook);
  result.kernel.name = session?.kernel?.name ?? null;
  if (state !== 'idle') throw new Error(`kernel not idle: ${state}`);

  const cellLocator = page.locator('#notebook-container > .cell');
  const total = await cellLocator.count();
  const n = opt.cells ? Math.min(Number(opt.cells), total) : total;
  result.cellsInNotebook = total;
  result.cellsRequested = opt.cells ? Number(opt.cells) : total;
  if (!(n >= 1)) throw new Error(`nothing to run: ${total} cells, --cells ${opt.cells}`);

  // Select the first cell by clicking its prompt area, leave edit mode, then run with the keyboard.
  const t1 = Date.now();
  await cellLocator.nth(0).click({ position: { x: 20, y: 10 } });
  await page.keyboard.press('Escape');
  await page.waitForFunction(() => {
    const c = document.querySelector('#notebook-container > .cell');
    return c && c.classList.contains('selected');
  }, null, { timeout: remaining() });
  for (let i = 0; i < n; i++) {
    await page.keyboard.press(i < n - 1 ? 'Shift+Enter' : 'Control+Enter');
  }
  result.cellsRun = n;

  // Done when no code cell among the first n shows "In [*]" any more (each has its execution count, or a blank one
  // if the kernel skipped it) and the kernel is idle again; a dead kernel or a dialog stops the wait. The key presses
  // above mark the cells "[*]" at once, so this cannot see the state before they were queued.
  const outcome = await page.waitForFunction((n) => {
    const icon = document.querySelector('#kernel_indicator_icon')?.className ?? '';
    if (icon.includes('kernel_dead_icon')) return 'dead';
    const modal = document.querySelector('.modal.in .modal-body');
    if (modal) return 'modal: ' + modal.innerText.trim().slice(0, 300);
    const cells = [...document.querySelectorAll('#notebook-container > .cell')].slice(0, n);
    const running = cells.filter((c) => c.classList.contains('code_cell'))
      .some((c) => /\[\*\]/.test(c.querySelector('.input_prompt')?.innerText ?? ''));
    return !running && icon.includes('kernel_idle_icon') ? 'done' : false;
  }, n, { timeout: remaining(), polling: 200 }).then((h) => h.jsonValue());
  result.timingsMs.run = Date.now() - t1;
  result.kernel.state = outcome === 'done' ? 'idle' : outcome;

  // What the page shows for those cells.
  result.cells = await page.evaluate((n) => {
    const cells = [...document.querySelectorAll('#notebook-container > .cell')].slice(0, n);
    return cells.map((c, index) => {
      const type = Jupyter.notebook.get_cell(index).cell_type;
      const subareas = [...c.querySelectorAll('.output_area .output_subarea')];
      return {
        index,
        type,
        prompt: type === 'code' ? (c.querySelector('.input_prompt')?.innerText ?? '').trim() : null,
        rendered: type === 'markdown' ? c.classList.contains('rendered') : null,
        outputs: subareas.map((s) => s.getAttribute('data-mime-type')
          || [...s.classList].find((k) => k.startsWith('output_') && k !== 'output_subarea') || 'unknown'),
        images: [...c.querySelectorAll('.output_area img')].map((img) => ({
          mime: (img.getAttribute('src') || '').match(/^data:([^;,]+)/)?.[1] ?? null,
          loaded: img.complete && img.naturalWidth > 0,
          width: img.naturalWidth,
          height: img.naturalHeight,
        })),
        errors: [...c.querySelectorAll('.output_area .output_error')].map((e) => e.innerText.slice(0, 1000)),
        stderr: [...c.querySelectorAll('.output_area .output_stderr')].map((e) => e.innerText.slice(0, 1000)),
      };
    });
  }, n);
  for (const c of result.cells) {
    result.images += c.images.filter((i) => i.mime === 'image/png' && i.loaded).length;
    result.errors.push(...c.errors.map((e) => `cell ${c.index}: ${e}`));
    result.stderr.push(...c.stderr.map((e) => `cell ${c.index}: ${e}`));
  }

  if (opt.screenshot) {
    const shot = resolve(opt.screenshot);
    mkdirSync(dirname(shot), { recursive: true });
    const img = page.locator('.output_area img').first();
    if (await img.count()) await img.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot });
    result.screenshot = shot;
  }
  result.notExecuted = result.cells.filter((c) => c.type === 'code' && !/\[\d+\]/.test(c.prompt)).map((c) => c.index);
  result.ok = result.kernel.state === 'idle' && result.kernel.name === opt.kernel && result.images > 0
    && result.errors.length === 0 && result.notExecuted.length === 0;
  await context.close();
  finish(result.ok ? 0 : 1);
} catch (e) {
  result.failure = String(e && e.stack ? e.stack : e).slice(0, 2000);
  log(result.failure);
  finish(2);
} finally {
  if (browser) await browser.close().catch(() => {});
}
