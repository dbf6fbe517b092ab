// The main flows by keyboard only: a skip link, visible focus on every stop, headings that take focus
// when a view opens, dialogs that trap focus, close on Escape and give focus back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { E2E, screenshot, signedInPage, startAgentProcess } from './gui-harness.js';

interface Focused {
  tag: string;
  text: string;
  label: string;
  outline: string;
}

async function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null;
    const labelled = element?.id ? document.querySelector(`label[for="${element.id}"]`)?.textContent ?? '' : '';
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      text: (element?.innerText ?? '').trim(),
      label: labelled || element?.getAttribute('aria-label') || '',
      outline: element ? getComputedStyle(element).outlineStyle : 'none',
    };
  });
}

/** Presses Tab until the focused element reads `name`; every stop on the way must show its focus. */
async function tabTo(page: Page, name: string, shift = false): Promise<Focused> {
  for (let presses = 0; presses < 60; presses++) {
    await page.keyboard.press(shift ? 'Shift+Tab' : 'Tab');
    const now = await focused(page);
    if (now.tag !== 'body' && now.tag !== 'h1' && now.tag !== 'main') assert.notEqual(now.outline, 'none', `no visible focus on ${now.tag} "${now.text || now.label}"`);
    if (now.text === name || now.label === name) return now;
  }
  throw new Error(`Tab never reached "${name}"`);
}

async function headingFocused(page: Page, name: string): Promise<void> {
  await page.getByRole('heading', { level: 1, name }).waitFor();
  await page.waitForFunction((n) => document.activeElement?.tagName === 'H1' && document.activeElement.textContent === n, name);
}

test('add, rename and remove a folder, and move between views, by keyboard only', E2E, async (t) => {
  const agent = await startAgentProcess(t);
  const folder = join(agent.root, 'Letters');
  mkdirSync(folder);
  const page = await signedInPage(t, agent);

  // On a fresh page the skip link is the first stop, and it lands in the content.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Skip to content');
  assert.notEqual((await focused(page)).outline, 'none');
  await page.keyboard.press('Enter');
  assert.equal((await focused(page)).tag, 'main');

  await tabTo(page, 'Add folder');
  await page.keyboard.press('Enter');
  await headingFocused(page, 'Add a protected folder');
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, 'Folder');
  await page.keyboard.type(folder);
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).label, 'Name (optional)');
  await page.keyboard.type('Letters');
  await tabTo(page, 'Scan files written to this folder');
  await page.keyboard.press('Space');
  await page.keyboard.press('Space'); // on and off again: the settings appear and go
  await screenshot(page, 'keyboard-add-folder');
  await tabTo(page, 'Add folder');
  await page.keyboard.press('Enter');
  await headingFocused(page, 'Letters');

  await tabTo(page, 'Rename…');
  await page.keyboard.press('Enter');
  const rename = page.getByRole('dialog', { name: 'Rename folder' });
  await rename.waitFor();
  assert.equal((await focused(page)).label, 'New name');
  await page.keyboard.press('Control+A');
  await page.keyboard.type('Old letters');
  await page.keyboard.press('Enter');
  await rename.waitFor({ state: 'detached' });
  await page.getByRole('heading', { level: 1, name: 'Old letters' }).waitFor();

  await tabTo(page, 'Stop protecting…');
  await page.keyboard.press('Enter');
  const confirm = page.getByRole('dialog', { name: 'Stop protecting Old letters?' });
  await confirm.waitFor();
  assert.equal((await focused(page)).text, 'Cancel', 'the safe choice has the focus');
  await page.keyboard.press('Escape');
  await confirm.waitFor({ state: 'detached' });
  assert.equal((await focused(page)).text, 'Stop protecting…', 'focus returns to what opened the dialog');
  assert.equal((await agent.api.listFolders({})).folders.length, 1);
  await page.keyboard.press('Enter');
  await confirm.waitFor();
  // Focus stays inside the modal dialog: Tab cycles among its buttons.
  await page.keyboard.press('Tab');
  assert.equal((await focused(page)).text, 'Stop protecting');
  await page.keyboard.press('Enter');
  await headingFocused(page, 'Protected folders');
  assert.deepEqual((await agent.api.listFolders({})).folders, []);

  await tabTo(page, 'Event log', true);
  await page.keyboard.press('Enter');
  await headingFocused(page, 'Event log');
  await page.getByRole('cell', { name: 'Folder removed' }).first().waitFor();
});
