const { chromium } = require('playwright-core');
const fs = require('fs');
const axeSource = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const pages = process.argv.slice(2);
(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'] });
  const page = await browser.newPage();
  let total = 0;
  for (const url of pages) {
    await page.goto('http://127.0.0.1:8000' + url);
    await page.addScriptTag({ content: axeSource });
    const result = await page.evaluate(async () => await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
    for (const v of result.violations) {
      total += 1;
      console.log(url, v.id, v.impact, v.nodes.length, v.nodes.slice(0, 2).map(n => n.target.join(' ')).join(' | '));
    }
    if (url === '/programs/search/?q=%E9%A4%8A%E6%AE%96') await page.screenshot({ path: '/tmp/search.png', fullPage: false });
  }
  console.log('violations:', total);
  await browser.close();
})();
