// Opens a post in the real block editor (headless Chromium via puppeteer-core), prints each
// block's isValid and the count of "invalid content" warnings, screenshots the editor and preview.
// Usage: node editor_check.cjs URL USER PASSWORD POST_ID OUT_DIR  (see editor_check.py)
const puppeteer = require('puppeteer-core');
const [url, user, pass, postId, outDir] = process.argv.slice(2);
(async () => {
  const browser = await puppeteer.launch({ executablePath: '/usr/bin/chromium', headless: 'new',
    args: ['--no-sandbox', '--disable-gpu', '--window-size=1280,1400'] });
  try {
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 1400 });
    await page.goto(`${url}/wp-login.php`, { waitUntil: 'networkidle0' });
    await page.type('#user_login', user);
    await page.type('#user_pass', pass);
    await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle0' }), page.click('#wp-submit')]);
    await page.goto(`${url}/wp-admin/post.php?post=${postId}&action=edit`, { waitUntil: 'networkidle0', timeout: 120000 });
    await page.waitForFunction(() => window.wp && wp.data && wp.data.select('core/block-editor').getBlocks().length > 0, { timeout: 120000 });
    // close the welcome guide if shown
    await page.evaluate(() => { try { wp.data.dispatch('core/edit-post').toggleFeature && wp.data.select('core/edit-post').isFeatureActive('welcomeGuide') && wp.data.dispatch('core/edit-post').toggleFeature('welcomeGuide'); } catch (e) {} });
    await new Promise(r => setTimeout(r, 1500));
    const info = await page.evaluate(() => ({
      blocks: wp.data.select('core/block-editor').getBlocks().map(b => ({ name: b.name, isValid: b.isValid, id: b.attributes.id, alt: b.attributes.alt })),
      warnings: document.querySelectorAll('.block-editor-warning').length,
      text: Array.from(document.querySelectorAll('.block-editor-warning')).map(e => e.textContent).join(' | '),
      edited: wp.data.select('core/editor').isEditedPostDirty(),
    }));
    console.log(JSON.stringify(info));
    await page.screenshot({ path: `${outDir}/editor.png` });
    await page.goto(`${url}/?p=${postId}&preview=true`, { waitUntil: 'networkidle0' });
    await page.screenshot({ path: `${outDir}/preview.png`, fullPage: true });
  } finally { await browser.close(); }
})().catch(e => { console.error(e); process.exit(1); });
